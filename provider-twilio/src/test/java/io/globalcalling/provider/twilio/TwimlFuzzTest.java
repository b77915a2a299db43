package io.globalcalling.provider.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.globalcalling.provider.twilio.internal.Twiml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Fuzzes {@link Twiml}: whatever the text, language, voice or dial target, the document parses as XML, has
 * exactly the elements Twiml writes, and carries the text literally (less the characters XML 1.0 cannot hold).
 */
class TwimlFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void outputIsWellFormedAndCarriesTheTextLiterally(FuzzedDataProvider data) throws Exception {
        String language = data.consumeBoolean() ? null : data.consumeString(20);
        String voice = data.consumeBoolean() ? null : data.consumeString(20);
        String target = data.consumeString(60);
        String text = data.consumeRemainingAsString();

        Element say = single(parse(Twiml.say(text, language, voice)), "Say");
        assertThat(say.getTextContent()).isEqualTo(Twiml.legalCharacters(text));
        assertThat(say.getChildNodes().getLength()).isLessThanOrEqualTo(1);
        assertThat(say.getAttribute("language")).isEqualTo(language == null ? "" : Twiml.legalCharacters(language));
        assertThat(say.getAttribute("voice")).isEqualTo(voice == null ? "" : Twiml.legalCharacters(voice));
        assertThat(say.getAttributes().getLength()).isEqualTo((language == null ? 0 : 1) + (voice == null ? 0 : 1));

        Document dial = parse(Twiml.dial(target));
        Element d = single(dial, "Dial");
        boolean sip = target.regionMatches(true, 0, "sip", 0, 3);
        assertThat(dial.getElementsByTagName("Sip").getLength()).isEqualTo(sip ? 1 : 0);
        assertThat(d.getTextContent()).isEqualTo(Twiml.legalCharacters(target));
    }

    private static Element single(Document doc, String name) {
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("Response");
        assertThat(root.getChildNodes().getLength()).isEqualTo(1);
        Element only = (Element) root.getFirstChild();
        assertThat(only.getTagName()).isEqualTo(name);
        return only;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
