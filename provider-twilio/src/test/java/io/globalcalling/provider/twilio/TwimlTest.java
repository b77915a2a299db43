package io.globalcalling.provider.twilio;

import io.globalcalling.provider.twilio.internal.Twiml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TwimlTest {

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element onlySay(Document doc) {
        Element response = doc.getDocumentElement();
        assertThat(response.getTagName()).isEqualTo("Response");
        assertThat(response.getChildNodes().getLength()).isEqualTo(1);
        Element say = (Element) response.getFirstChild();
        assertThat(say.getTagName()).isEqualTo("Say");
        assertThat(say.getChildNodes().getLength()).isLessThanOrEqualTo(1);
        return say;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Hello</Say><Dial>+19005550100</Dial><Say>",
            "Tom & Jerry &amp; friends",
            "<![CDATA[x]]> and ]]> and ]]&gt;",
            "She said \"hi\" and 'bye'",
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
            "line one\r\nline two\rthree\tfour\n",
            "bell\u0007 nul\u0000 vt\u000B ff\u000C esc\u001B us\u001F end",
            "emoji \uD83D\uDCDE kept, lone \uD800 surrogate dropped, \uFFFE\uFFFF dropped",
            "नमस्ते, आपका ऑर्डर आज भेजा जाएगा"})
    void speaksHostileTextLiterallyInOneSay(String text) throws Exception {
        Element say = onlySay(parse(Twiml.say(text, "en-US", "Polly.Joanna")));

        assertThat(say.getTextContent()).isEqualTo(Twiml.legalCharacters(text));
        assertThat(say.getAttribute("language")).isEqualTo("en-US");
        assertThat(say.getAttribute("voice")).isEqualTo("Polly.Joanna");
    }

    @Test
    void stripsOnlyTheCharactersXmlForbids() {
        assertThat(Twiml.legalCharacters("a\u0000b\u0008c\td\ne\u000Bf\u000Cg\rh\u000Ei\u001Fj\u0020k"))
                .isEqualTo("abc\td\nefg\rhij k");
    }

    @Test
    void attributesCannotBeBrokenOutOf() throws Exception {
        String voice = "Polly.Joanna\" loop=\"0";
        Element say = onlySay(parse(Twiml.say("hi", null, voice)));

        assertThat(say.getAttribute("voice")).isEqualTo(voice);
        assertThat(say.hasAttribute("loop")).isFalse();
        assertThat(say.hasAttribute("language")).isFalse();
    }

    @Test
    void randomTextAlwaysYieldsWellFormedTwimlSpeakingIt() throws Exception {
        Random random = new Random(20240501);
        for (int i = 0; i < 500; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                int kind = random.nextInt(4);
                s.appendCodePoint(switch (kind) {
                    case 0 -> random.nextInt(0x20);
                    case 1 -> "<>&\"']]/!?-".charAt(random.nextInt(11));
                    case 2 -> 0x20 + random.nextInt(0x60);
                    default -> random.nextInt(0x10FFFF);
                });
            }
            String text = s.toString();
            assertThat(onlySay(parse(Twiml.say(text, "en-US", null))).getTextContent()).as("text #%d", i)
                    .isEqualTo(Twiml.legalCharacters(text));
        }
    }

    @Test
    void dialsNumberOrSipUri() throws Exception {
        Element number = (Element) parse(Twiml.dial("+14155551212")).getDocumentElement().getFirstChild();
        assertThat(number.getTagName()).isEqualTo("Dial");
        assertThat(number.getTextContent()).isEqualTo("+14155551212");
        Element sip = (Element) parse(Twiml.dial("sip:agent@pbx.example.com")).getDocumentElement().getFirstChild().getFirstChild();
        assertThat(sip.getTagName()).isEqualTo("Sip");
        assertThat(sip.getTextContent()).isEqualTo("sip:agent@pbx.example.com");
    }
}
