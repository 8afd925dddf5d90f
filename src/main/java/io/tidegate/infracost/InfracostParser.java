package io.tidegate.infracost;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.text.JsonProblem;

/**
 * Reads Infracost's JSON output (schema {@code 0.x}; {@code breakdown} and {@code diff} print the
 * same shape). Money is a decimal string or {@code null} in that schema; it becomes a
 * {@link BigDecimal} or an empty {@link Optional}, never a zero. Every problem is a
 * {@link MalformedInfracostException} naming the JSON path.
 *
 * <p>Infracost output for one PR is small (kilobytes per project), so it is read as a tree; the
 * caller bounds the input size. Thread-safe.
 */
public final class InfracostParser {
    private static final int MAX_INTEGER_DIGITS = 15;
    private static final int MAX_DECIMALS = 30;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public InfracostReport parse(InputStream in) throws IOException {
        return report(readTree(in));
    }

    public InfracostReport parse(byte[] json) {
        try {
            return parse(new java.io.ByteArrayInputStream(json));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // cannot happen on a byte array
        }
    }

    private JsonNode readTree(InputStream in) throws IOException {
        try {
            JsonNode root = mapper.readTree(in);
            if (root == null || root.isMissingNode()) {
                throw new MalformedInfracostException("Infracost JSON is empty");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new MalformedInfracostException("not valid JSON"
                    + JsonProblem.where(e.getLocation()) + ": " + JsonProblem.describe(e));
        }
    }

    private static InfracostReport report(JsonNode root) {
        Path top = new Path("", root);
        top.requireObject();
        String version = top.requiredText("version");
        // Infracost promises compatible changes within a major schema version.
        if (!version.startsWith("0.")) {
            throw new MalformedInfracostException(
                    "version: expected an Infracost schema 0.x, found \"" + version + "\"");
        }
        // Output.Currency, `json:"currency"` (infracost v0.10.45 internal/output/output.go;
        // schema/infracost.schema.json: a string): the ISO 4217 code of every figure.
        String currency = top.optionalText("currency").orElse("USD");
        List<InfracostProject> projects = top.child("projects").list(InfracostParser::project);
        MonthlyCosts totals = new MonthlyCosts(
                top.money("pastTotalMonthlyCost"),
                top.money("totalMonthlyCost"),
                top.money("diffTotalMonthlyCost"));
        return new InfracostReport(version, currency, projects, totals);
    }

    private static InfracostProject project(Path p) {
        p.requireObject();
        Path meta = p.child("metadata");
        if (!meta.isAbsent()) {
            meta.requireObject();
        }
        Path past = p.child("pastBreakdown");
        Path current = p.child("breakdown");
        Path diff = p.child("diff");
        MonthlyCosts monthly = new MonthlyCosts(
                past.totalMonthlyCost(), current.totalMonthlyCost(), diff.totalMonthlyCost());
        return new InfracostProject(
                p.requiredText("name"),
                meta.optionalText("path").orElse(""),
                meta.optionalText("terraformWorkspace").orElse(""),
                meta.optionalText("terraformModulePath").orElse(""),
                monthly,
                current.resources(),
                diff.resources(),
                meta.child("errors").list(InfracostParser::projectError));
    }

    private static InfracostProject.ProjectError projectError(Path e) {
        e.requireObject();
        Path code = e.child("code");
        int number = code.isAbsent() ? 0 : code.integer();
        return new InfracostProject.ProjectError(number, e.optionalText("message").orElse(""));
    }

    private static ResourceCost resource(Path r) {
        r.requireObject();
        return new ResourceCost(
                r.requiredText("name"),
                r.money("monthlyCost"),
                r.child("costComponents").list(InfracostParser::component),
                r.child("subresources").list(InfracostParser::resource));
    }

    private static ResourceCost.CostComponent component(Path c) {
        c.requireObject();
        return new ResourceCost.CostComponent(
                c.requiredText("name"),
                c.optionalText("unit").orElse(""),
                c.money("monthlyQuantity"),
                c.money("price"),
                c.money("monthlyCost"));
    }

    /** A node and the JSON path that leads to it, so every message can say where. */
    private record Path(String path, JsonNode node) {
        Path child(String field) {
            JsonNode n = node == null ? null : node.get(field);
            return new Path(path.isEmpty() ? field : path + "." + field, n);
        }

        boolean isAbsent() {
            return node == null || node.isNull() || node.isMissingNode();
        }

        void requireObject() {
            if (!node.isObject()) {
                throw problem("expected an object", node);
            }
        }

        String requiredText(String field) {
            Path c = child(field);
            if (c.isAbsent()) {
                throw c.problem("expected a string", c.node);
            }
            return c.text();
        }

        Optional<String> optionalText(String field) {
            Path c = child(field);
            return c.isAbsent() ? Optional.empty() : Optional.of(c.text());
        }

        String text() {
            if (!node.isTextual()) {
                throw problem("expected a string", node);
            }
            return node.textValue();
        }

        int integer() {
            if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                throw problem("expected an integer", node);
            }
            return node.intValue();
        }

        /** A decimal string (Infracost's form) or a JSON number; null or absent is unknown. */
        Optional<BigDecimal> money(String field) {
            Path c = child(field);
            if (c.isAbsent()) {
                return Optional.empty();
            }
            if (c.node.isNumber()) {
                return Optional.of(c.bounded(c.node.decimalValue()));
            }
            if (!c.node.isTextual()) {
                throw c.problem("expected a decimal string or null", c.node);
            }
            try {
                return Optional.of(c.bounded(new BigDecimal(c.node.textValue().trim())));
            } catch (NumberFormatException e) {
                throw c.problem("expected a decimal string or null", c.node);
            }
        }

        /**
         * An amount Infracost could print: "1e999999999" is a valid BigDecimal, but adding it to
         * a budget would build a billion-digit number (a hang), so such values are refused.
         */
        private BigDecimal bounded(BigDecimal v) {
            if (v.signum() != 0 && (v.precision() - v.scale() > MAX_INTEGER_DIGITS
                    || v.scale() > MAX_DECIMALS)) {
                throw problem("expected an amount below 10^" + MAX_INTEGER_DIGITS + " with at "
                        + "most " + MAX_DECIMALS + " decimals", node);
            }
            return v;
        }

        Optional<BigDecimal> totalMonthlyCost() {
            if (isAbsent()) {
                return Optional.empty();
            }
            requireObject();
            return money("totalMonthlyCost");
        }

        List<ResourceCost> resources() {
            return isAbsent() ? List.of() : child("resources").list(InfracostParser::resource);
        }

        <T> List<T> list(Function<Path, T> element) {
            if (isAbsent()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw problem("expected an array", node);
            }
            List<T> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                out.add(element.apply(new Path(path + "[" + i + "]", node.get(i))));
            }
            return out;
        }

        MalformedInfracostException problem(String expected, JsonNode found) {
            String at = path.isEmpty() ? "top level" : path;
            return new MalformedInfracostException(at + ": " + expected + ", found "
                    + describe(found));
        }

        private static String describe(JsonNode n) {
            if (n == null || n.isMissingNode()) {
                return "nothing";
            }
            if (n.isTextual()) {
                String t = n.textValue();
                return "\"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
            }
            if (n.isObject()) {
                return "an object";
            }
            if (n.isArray()) {
                return "an array";
            }
            return n.toString();
        }
    }
}
