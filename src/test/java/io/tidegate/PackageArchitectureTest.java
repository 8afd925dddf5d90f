package io.tidegate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The package map of the README ("For engineers") as rules over the compiled main classes: no
 * package cycle, a decision core that needs nothing but the JDK, Javalin only at the HTTP edge.
 * No exceptions list for cycles; the one library the core may touch is named below, with why.
 */
class PackageArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tidegate");

    /**
     * One slice per package directly under {@code io.tidegate} (sub-packages belong to theirs);
     * the root package, where {@link Main} is, is a slice of its own, so an edge back to the
     * command line counts too.
     */
    private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String name = c.getPackageName();
            if (name.equals("io.tidegate")) {
                return SliceIdentifier.of("(root)");
            }
            if (!name.startsWith("io.tidegate.")) {
                return SliceIdentifier.ignore();
            }
            String rest = name.substring("io.tidegate.".length());
            int dot = rest.indexOf('.');
            return SliceIdentifier.of(dot < 0 ? rest : rest.substring(0, dot));
        }

        @Override
        public String getDescription() {
            return "the packages of io.tidegate";
        }
    };

    @Test
    void noCycleAmongTidegatesPackages() {
        slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void decisionDependsOnlyOnTheJdkAndPolicy() {
        classes().that().resideInAPackage("io.tidegate.decision..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "io.tidegate.decision..", "io.tidegate.policy..")
                .check(MAIN);
    }

    @Test
    void policyDependsOnlyOnTheJdkBesidesItsYamlReader() {
        classes().that().resideInAPackage("io.tidegate.policy..")
                .and().doNotHaveSimpleName("YamlReader")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "io.tidegate.policy..")
                .check(MAIN);
    }

    /**
     * The one edge that stays: a policy is YAML, and its problems name file, line and column,
     * which only the parser knows. {@code YamlReader} turns Jackson's streaming YAML parser
     * (and SnakeYAML's error mark) into {@code YamlNode}s with locations; everything else in
     * {@code policy} reads those. Moving it out would make every caller of
     * {@code PolicyParser} parse YAML first.
     */
    @Test
    void policysYamlReaderUsesOnlyTheYamlParserBesidesTheJdk() {
        classes().that().resideInAPackage("io.tidegate.policy..")
                .and().haveSimpleName("YamlReader")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "io.tidegate.policy..", "com.fasterxml.jackson.core..",
                        "com.fasterxml.jackson.dataformat.yaml..", "org.yaml.snakeyaml.error..")
                .check(MAIN);
    }

    @Test
    void onlyHttpAndTheDashboardImportJavalin() {
        noClasses().that().resideOutsideOfPackages("io.tidegate.http..", "io.tidegate.web..")
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .check(MAIN);
    }
}
