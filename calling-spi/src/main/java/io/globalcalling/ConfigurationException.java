package io.globalcalling;

import java.util.List;

/** Configuration is missing or malformed; lists every problem at once, never a secret's value. */
public class ConfigurationException extends CallingException {

    private final List<String> problems;

    public ConfigurationException(String subject, List<String> problems) {
        super(ErrorReason.CONFIGURATION, subject + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
