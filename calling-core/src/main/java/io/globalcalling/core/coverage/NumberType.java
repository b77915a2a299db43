package io.globalcalling.core.coverage;

/** What kind of line a number is, by its country's numbering plan (libphonenumber's {@code PhoneNumberType}). */
public enum NumberType {
    FIXED_LINE,
    MOBILE,
    /** The plan does not tell fixed from mobile (e.g. the US). */
    FIXED_LINE_OR_MOBILE,
    TOLL_FREE,
    /** The caller pays a premium that is shared with the callee: the range toll fraud pumps. */
    PREMIUM_RATE,
    /** The cost is split between caller and callee, above the normal rate. */
    SHARED_COST,
    VOIP,
    PERSONAL_NUMBER,
    PAGER,
    /** Universal access number (a company's single number). */
    UAN,
    VOICEMAIL,
    /** Not a valid number, or the plan does not say. */
    UNKNOWN
}
