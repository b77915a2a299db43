package io.globalcalling.core.campaign;

import io.globalcalling.Purpose;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A campaign's target, settings and import problems print their numbers masked: a phone number stays out of logs. */
class CampaignToStringTest {

    @Test
    void aTargetPrintsItsNumberMaskedAndItsVariablesByName() {
        Target target = new Target("+919876543210", Map.of("name", "Asha Rao"), "Asia/Kolkata");

        assertThat(target.toString()).contains("+919*******10", "name", "Asia/Kolkata")
                .doesNotContain("9876543210", "Asha");
    }

    @Test
    void campaignSettingsPrintTheirCallerIdMasked() {
        CampaignSettings settings = new CampaignSettings(CampaignPolicy.builder().build(), Purpose.NOTIFICATION,
                "+14155550123", "fingerprint-canary");

        assertThat(settings.toString()).contains("+141******23").doesNotContain("4155550123", "canary");
    }

    @Test
    void anImportProblemPrintsTheNumberAtFaultMaskedAndARowByItsSizeOnly() {
        ImportProblem number = new ImportProblem(3, "number", "+91987654321", "line 3: number '+91987654321' is not a"
                + " valid number in its country's numbering plan");
        ImportProblem row = new ImportProblem(4, "row", "Asha Rao,+919876543210", "line 4 has 2 fields but the header"
                + " has 3");

        assertThat(number.toString()).contains("line 3", "number", "+919******21").doesNotContain("987654321");
        assertThat(row.toString()).contains("line 4", "row", "<22 characters>").doesNotContain("Asha", "9876543210");
    }
}
