package io.tidegate.web;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import io.tidegate.logging.SecretRedactor;

/**
 * The dashboard's one place where every text it shows passes {@link SecretRedactor}: each value
 * a page template writes (before jte escapes it for HTML) and each string of its JSON twins.
 * The pages are read with the dashboard token, and their texts include what others wrote (a
 * freeze's or an override's reason, a PR's title, reasons quoting them): a token pasted there
 * must not show, as it does not in the logs, the audit or on GitHub.
 */
final class MaskedOutput {
    private MaskedOutput() {}

    /** HTML output whose every user value is masked, then escaped as jte escapes it. */
    static OwaspHtmlTemplateOutput html(TemplateOutput out) {
        return new OwaspHtmlTemplateOutput(out) {
            @Override
            public void writeUserContent(String value) {
                super.writeUserContent(value == null ? null : SecretRedactor.redact(value));
            }
        };
    }

    /** Writes every string value masked (keys are the read models' own field names). */
    static SimpleModule json() {
        return new SimpleModule("masked-strings").addSerializer(String.class,
                new StdSerializer<>(String.class) {
                    @Override
                    public void serialize(String value, JsonGenerator gen,
                            SerializerProvider provider) throws IOException {
                        gen.writeString(SecretRedactor.redact(value));
                    }
                });
    }
}
