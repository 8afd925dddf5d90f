package io.tidegate.web;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/** The read models' {@code Optional}s in JSON: the value, or {@code null} when empty. */
final class OptionalJson {
    private OptionalJson() {}

    static SimpleModule module() {
        return new SimpleModule("tidegate-optional").addSerializer(new Writer());
    }

    @SuppressWarnings("rawtypes")
    private static final class Writer extends StdSerializer<Optional> {
        Writer() {
            super(Optional.class);
        }

        @Override
        public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }
}
