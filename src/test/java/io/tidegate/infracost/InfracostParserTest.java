package io.tidegate.infracost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.tidegate.Fixtures;
import io.tidegate.decision.CostChange;
import org.junit.jupiter.api.Test;

class InfracostParserTest {
    private final InfracostParser parser = new InfracostParser();

    private InfracostReport fixture(String name) {
        return parser.parse(Fixtures.bytes("infracost/" + name));
    }

    private InfracostReport json(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<BigDecimal> usd(String value) {
        return Optional.of(new BigDecimal(value));
    }

    private static MonthlyCosts costs(String past, String current, String diff) {
        return new MonthlyCosts(usd(past), usd(current), usd(diff));
    }

    @Test
    void planJsonBreakdownReadsTotalsProjectAndResources() {
        InfracostReport r = fixture("breakdown.plan-json.increase.json");

        assertThat(r.version()).isEqualTo("0.2");
        assertThat(r.currency()).isEqualTo("USD");
        assertThat(r.totals()).isEqualTo(costs("40.561", "81.122", "40.561"));
        assertThat(r.projects()).hasSize(1);
        InfracostProject p = r.projects().get(0);
        assertThat(p.key()).isEqualTo(new InfracostProject.Key(
                "infracost/infracost/cmd/infracost/testdata/terraform_v0.14_plan.json",
                "./cmd/infracost/testdata/terraform_v0.14_plan.json", ""));
        assertThat(p.monthly()).isEqualTo(costs("40.561", "81.122", "40.561"));
        assertThat(p.resources()).hasSize(14);
        assertThat(p.diffResources()).extracting(ResourceCost::name).containsExactly(
                "aws_instance.instance_2",
                "aws_instance.instance_counted[1]",
                "aws_instance.instance_named[\"test.2\"]",
                "module.db.module.db_2.module.db_instance.aws_db_instance.this[0]",
                "module.instances.aws_instance.module_instance_2",
                "module.instances.aws_instance.module_instance_counted[1]",
                "module.instances.aws_instance.module_instance_named[\"test.2\"]");
        assertThat(p.errors()).isEmpty();
        assertThat(p.costChange()).isEqualTo(new CostChange(usd("40.561"), usd("81.122")));
    }

    @Test
    void resourceLinesKeepComponentsAndSubresourcesWithExactDecimals() {
        ResourceCost first = fixture("breakdown.plan-json.increase.json")
                .projects().get(0).resources().get(0);

        assertThat(first.name()).isEqualTo("aws_instance.instance_1");
        assertThat(first.monthlyCost()).isEqualTo(usd("4.596"));
        assertThat(first.components()).containsExactly(
                new ResourceCost.CostComponent("Instance usage (Linux/UNIX, on-demand, t3.nano)",
                        "hours", usd("730"), usd("0.0052"), usd("3.796")),
                new ResourceCost.CostComponent("CPU credits", "vCPU-hours",
                        usd("0"), usd("0.05"), usd("0")));
        assertThat(first.subresources()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("root_block_device");
            assertThat(s.monthlyCost()).isEqualTo(usd("0.8"));
        });
    }

    @Test
    void noChangeBreakdownHasZeroDiffAndNoDiffResources() {
        InfracostReport r = fixture("breakdown.no-change.json");

        assertThat(r.totals()).isEqualTo(costs("40.561", "40.561", "0"));
        InfracostProject p = r.projects().get(0);
        assertThat(p.resources()).hasSize(7);
        assertThat(p.diffResources()).isEmpty();
        assertThat(p.costChange()).isEqualTo(new CostChange(usd("0"), usd("40.561")));
    }

    @Test
    void newResourcesStartFromAKnownZeroPast() {
        InfracostReport r = fixture("breakdown.new-resources.json");

        assertThat(r.totals()).isEqualTo(costs("0", "1303.28", "1303.28"));
        InfracostProject p = r.projects().get(0);
        assertThat(p.path()).isEqualTo(".");
        assertThat(p.resources()).extracting(ResourceCost::name)
                .containsExactly("aws_instance.web_app");
        assertThat(p.resources().get(0).subresources()).hasSize(2);
        assertThat(p.costChange()).isEqualTo(new CostChange(usd("1303.28"), usd("1303.28")));
    }

    @Test
    void multiProjectDiffReadsEveryProjectAndItsWorkspace() {
        InfracostReport r = fixture("diff.multi-project.decrease.json");

        assertThat(r.totals()).isEqualTo(costs("5269.212", "3027.528", "-2241.684"));
        assertThat(r.projects()).extracting(InfracostProject::name).containsExactly(
                "my first project", "my first project again", "my terragrunt dev project",
                "my terragrunt prod project", "my workspace project");
        assertThat(r.projects()).extracting(p -> p.monthly().diff()).containsExactly(
                usd("-560.64"), usd("-560.64"), usd("0.876"), usd("-560.64"), usd("-560.64"));
        assertThat(r.projects().get(4).workspace()).isEqualTo("ws1");
        assertThat(r.projects().get(2).monthly()).isEqualTo(costs("51.092", "51.968", "0.876"));
    }

    @Test
    void projectDiffsAddUpToTheReportDiff() {
        for (String f : List.of("diff.multi-project.decrease.json",
                "diff.multi-project.with-metadata.json", "breakdown.plan-json.increase.json")) {
            InfracostReport r = fixture(f);
            BigDecimal sum = r.projects().stream().map(p -> p.monthly().diff().orElseThrow())
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).as(f).isEqualByComparingTo(r.totals().diff().orElseThrow());
        }
    }

    @Test
    void nullMonthlyCostIsUnknownNeverZero() {
        InfracostProject p = fixture("diff.multi-project.decrease.json").projects().get(0);

        ResourceCost lambda = p.resources().get(1);
        assertThat(lambda.name()).isEqualTo("aws_lambda_function.hello_world");
        assertThat(lambda.monthlyCost()).isEmpty();
        assertThat(lambda.components()).extracting(ResourceCost.CostComponent::monthlyCost)
                .containsExactly(Optional.empty(), Optional.empty());
        assertThat(lambda.components()).extracting(ResourceCost.CostComponent::price)
                .containsExactly(usd("0.2"), usd("0.0000166667"));
    }

    @Test
    void repeatedProjectNamesAreToldApartByPathAndWorkspace() {
        InfracostReport r = fixture("diff.multi-project.with-metadata.json");

        assertThat(r.totals()).isEqualTo(costs("5325.304", "3084.496", "-2240.808"));
        assertThat(r.projects()).extracting(InfracostProject::key).containsExactly(
                new InfracostProject.Key("my terragrunt project",
                        "../../examples/terragrunt/dev", ""),
                new InfracostProject.Key("my terragrunt project",
                        "../../examples/terragrunt/prod", ""),
                new InfracostProject.Key("my terragrunt project",
                        "../../examples/terragrunt/dev", "ws2"),
                new InfracostProject.Key("my terragrunt project",
                        "../../examples/terragrunt/prod", "ws2"),
                new InfracostProject.Key("my tf project", "../../examples/terraform", ""),
                new InfracostProject.Key("my tf project", "../../examples/terraform",
                        "my tf workspace"));
        assertThat(r.projects()).extracting(InfracostProject::key).doesNotHaveDuplicates();
        assertThat(r.projects().get(1).modulePath()).isEqualTo("prod");
        assertThat(r.project(new InfracostProject.Key("my tf project",
                "../../examples/terraform", "my tf workspace")).orElseThrow().monthly())
                .isEqualTo(costs("1303.28", "742.64", "-560.64"));
    }

    @Test
    void projectWithMetadataErrorsIsReportedAndItsCostIsUnknown() {
        InfracostReport r = json("""
                {"version":"0.2","currency":"USD","projects":[
                  {"name":"broken","metadata":{"path":"envs/prod","type":"terraform_dir",
                     "errors":[{"code":102,"message":"Error loading module","data":null,
                                "isError":true}]},
                   "breakdown":{"resources":[],"totalMonthlyCost":"0"},
                   "diff":{"resources":[],"totalMonthlyCost":"0"}},
                  {"name":"fine","metadata":{"path":"envs/dev"},
                   "breakdown":{"resources":[],"totalMonthlyCost":"12.5"},
                   "diff":{"resources":[],"totalMonthlyCost":"2.5"}}],
                 "totalMonthlyCost":"12.5","diffTotalMonthlyCost":"2.5"}
                """);

        assertThat(r.projectsWithErrors()).extracting(InfracostProject::name)
                .containsExactly("broken");
        InfracostProject broken = r.projects().get(0);
        assertThat(broken.errors()).containsExactly(
                new InfracostProject.ProjectError(102, "Error loading module"));
        assertThat(broken.costChange()).isEqualTo(CostChange.UNKNOWN);
        assertThat(r.projects().get(1).costChange())
                .isEqualTo(new CostChange(usd("2.5"), usd("12.5")));
    }

    @Test
    void reportCostIsItsTotalsWhenNoProjectHasErrors() {
        assertThat(fixture("breakdown.plan-json.increase.json").costChange())
                .isEqualTo(new CostChange(usd("40.561"), usd("81.122"),
                        java.util.Optional.of("USD")));
        assertThat(fixture("diff.multi-project.decrease.json").costChange())
                .isEqualTo(new CostChange(usd("-2241.684"), usd("3027.528"),
                        java.util.Optional.of("USD")));
    }

    @Test
    void reportCostIsUnknownWhenAnyProjectHasErrors() {
        InfracostReport r = json("""
                {"version":"0.2","projects":[{"name":"p","metadata":{"path":".",
                  "errors":[{"code":105,"message":"Missing Terraform vars"}]}}],
                 "totalMonthlyCost":"0","diffTotalMonthlyCost":"0"}
                """);

        assertThat(r.costChange()).isEqualTo(CostChange.UNKNOWN);
    }

    @Test
    void breakdownWithoutPastOrDiffHasUnknownIncrease() {
        InfracostReport r = json("""
                {"version":"0.2","projects":[{"name":"p","metadata":{"path":"."},
                  "pastBreakdown":null,"breakdown":{"totalMonthlyCost":"7"},"diff":null}],
                 "totalMonthlyCost":"7","pastTotalMonthlyCost":null}
                """);

        assertThat(r.totals()).isEqualTo(new MonthlyCosts(Optional.empty(), usd("7"),
                Optional.empty()));
        assertThat(r.projects().get(0).costChange())
                .isEqualTo(new CostChange(Optional.empty(), usd("7")));
    }

    @Test
    void increaseIsCurrentMinusPastWhenDiffIsMissing() {
        MonthlyCosts m = new MonthlyCosts(usd("10.10"), usd("25.05"), Optional.empty());

        assertThat(m.increase()).isEqualTo(usd("14.95"));
    }

    @Test
    void moneyThatIsNotADecimalNamesItsPath() {
        assertThatThrownBy(() -> json("""
                {"version":"0.2","projects":[{"name":"p","breakdown":{"resources":[
                  {"name":"a","monthlyCost":"12,50"}]}}]}
                """))
                .isInstanceOf(MalformedInfracostException.class)
                .hasMessage("projects[0].breakdown.resources[0].monthlyCost: expected a decimal"
                        + " string or null, found \"12,50\"");
    }

    @Test
    void amountsNoBillCouldHoldAreRejectedBeforeArithmeticOnThemHangs() {
        assertThatThrownBy(() -> json("""
                {"version":"0.2","projects":[],"totalMonthlyCost":"1e999999999"}
                """))
                .isInstanceOf(MalformedInfracostException.class)
                .hasMessage("totalMonthlyCost: expected an amount below 10^15 with at most 30 "
                        + "decimals, found \"1e999999999\"");
        assertThatThrownBy(() -> json("""
                {"version":"0.2","projects":[],"diffTotalMonthlyCost":1E-400}
                """))
                .isInstanceOf(MalformedInfracostException.class)
                .hasMessageStartingWith("diffTotalMonthlyCost: expected an amount below 10^15");
        assertThat(json("""
                {"version":"0.2","projects":[],"totalMonthlyCost":"999999999999999.000000000001"}
                """).totals().current()).isPresent();
    }

    @Test
    void booleanMoneyIsRejected() {
        assertThatThrownBy(() -> json("""
                {"version":"0.2","projects":[],"totalMonthlyCost":true}
                """))
                .hasMessage("totalMonthlyCost: expected a decimal string or null, found true");
    }

    @Test
    void missingVersionIsRejected() {
        assertThatThrownBy(() -> json("{\"projects\":[]}"))
                .isInstanceOf(MalformedInfracostException.class)
                .hasMessage("version: expected a string, found nothing");
    }

    @Test
    void unsupportedSchemaVersionIsRejected() {
        assertThatThrownBy(() -> json("{\"version\":\"1.0\",\"projects\":[]}"))
                .hasMessage("version: expected an Infracost schema 0.x, found \"1.0\"");
    }

    @Test
    void projectsThatAreNotAnArrayAreRejected() {
        assertThatThrownBy(() -> json("{\"version\":\"0.2\",\"projects\":{}}"))
                .hasMessage("projects: expected an array, found an object");
    }

    @Test
    void projectWithoutNameIsRejected() {
        assertThatThrownBy(() -> json("{\"version\":\"0.2\",\"projects\":[{\"name\":null}]}"))
                .hasMessage("projects[0].name: expected a string, found null");
    }

    @Test
    void topLevelArrayIsRejected() {
        assertThatThrownBy(() -> json("[1,2]"))
                .hasMessage("top level: expected an object, found an array");
    }

    @Test
    void brokenJsonIsReportedWithLineAndColumnNotAStackTrace() {
        assertThatThrownBy(() -> json("{\"version\":\"0.2\",\n\"projects\": [}"))
                .isInstanceOf(MalformedInfracostException.class)
                .hasMessageStartingWith("not valid JSON at line 2, column 14: ")
                .hasNoCause();
    }

    @Test
    void emptyInputIsRejected() {
        assertThatThrownBy(() -> json("")).hasMessage("Infracost JSON is empty");
    }

    @Test
    void duplicateTotalIsRejected() {
        assertThatThrownBy(() -> json(
                "{\"version\":\"0.2\",\"projects\":[],\"totalMonthlyCost\":\"1\","
                        + "\"totalMonthlyCost\":\"0\"}"))
                .hasMessageContaining("Duplicate field 'totalMonthlyCost'");
    }
}
