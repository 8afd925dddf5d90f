package io.tidegate.atlantis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import io.tidegate.Fixtures;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ResourceChange;
import org.junit.jupiter.api.Test;

class PlanReaderTest {
    private final PlanReader reader = new PlanReader();

    private PlanChange fixture(String name) throws IOException {
        return counts(changes(name));
    }

    private PlanChange changes(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Fixtures.path("terraform/" + name))) {
            return reader.read(in);
        }
    }

    /** The counts alone, as the tests of counting compare them. */
    private static PlanChange counts(PlanChange c) {
        return new PlanChange(c.createdByType(), c.updatedByType(), c.deletedByType());
    }

    private PlanChange json(String json) throws IOException {
        return counts(jsonChanges(json));
    }

    private PlanChange jsonChanges(String json) throws IOException {
        return reader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyChangedResourceIsListedWithItsAddressAndActions() throws IOException {
        PlanChange c = jsonChanges(plan("""
                {"address":"module.db.aws_db_instance.main","type":"aws_db_instance",
                 "change":{"actions":["create","delete"]}},
                {"address":"aws_s3_bucket.logs","type":"aws_s3_bucket",
                 "change":{"actions":["delete"]}},
                {"address":"aws_vpc.main","type":"aws_vpc","change":{"actions":["no-op"]}},
                {"address":"data.aws_ami.x","mode":"data","type":"aws_ami",
                 "change":{"actions":["read"]}},
                {"type":"aws_iam_role","name":"ci","change":{"actions":["update"]}}"""));

        assertThat(c.changes()).contains(List.of(
                ResourceChange.of("module.db.aws_db_instance.main", "aws_db_instance", true,
                        false, true),
                ResourceChange.of("aws_s3_bucket.logs", "aws_s3_bucket", false, false, true),
                ResourceChange.of("aws_iam_role.ci", "aws_iam_role", false, true, false)));
    }

    @Test
    void realPlanListsNestedModuleAddresses() throws IOException {
        PlanChange c = changes("plan.aws.create-update-delete.json");

        assertThat(c.changes().get()).hasSize(8);
        assertThat(c.changes().get()).allMatch(r -> r.address().endsWith(r.type() + "."
                + r.address().substring(r.address().lastIndexOf('.') + 1)));
    }

    private static String plan(String resourceChanges) {
        return "{\"format_version\":\"1.2\",\"planned_values\":{},\"resource_changes\":["
                + resourceChanges + "]}";
    }

    @Test
    void createUpdateDeleteAreCountedByTypeAndNoOpIsNot() throws IOException {
        PlanChange c = fixture("plan.aws.create-update-delete.json");

        assertThat(c).isEqualTo(new PlanChange(
                Map.of("aws_lambda_function", 1, "aws_lambda_permission", 1,
                        "aws_security_group", 1, "aws_security_group_rule", 1,
                        "aws_ssm_parameter", 1),
                Map.of("aws_cloudwatch_event_target", 1),
                Map.of("aws_cloudwatch_event_rule", 1, "aws_cloudwatch_event_target", 1)));
        assertThat(c.created()).isEqualTo(5);
        assertThat(c.updated()).isEqualTo(1);
        assertThat(c.deleted()).isEqualTo(2);
    }

    @Test
    void resourceDriftIsNotCountedAsAChange() throws IOException {
        // This file's resource_drift lists 15 entries, several "delete"; only the 2 deletes in
        // resource_changes are what the apply does.
        assertThat(fixture("plan.aws.create-update-delete.json").deleted()).isEqualTo(2);
    }

    @Test
    void smallCreatePlanCountsEveryResource() throws IOException {
        assertThat(fixture("plan.aws.create.small.json")).isEqualTo(new PlanChange(
                Map.of("aws_instance", 2, "aws_lambda_function", 2, "aws_s3_bucket", 1),
                Map.of(), Map.of()));
    }

    @Test
    void manyResourcesPlanCountsAllFiftyFiveCreates() throws IOException {
        PlanChange c = fixture("plan.aws.many-resources.create.json");

        assertThat(c.created()).isEqualTo(55);
        assertThat(c.createdByType()).hasSize(39).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("aws_db_instance", 1),
                Map.entry("aws_db_option_group", 1),
                Map.entry("aws_db_parameter_group", 1),
                Map.entry("aws_db_subnet_group", 1),
                Map.entry("aws_ebs_snapshot", 1),
                Map.entry("aws_ebs_volume", 1),
                Map.entry("aws_ecr_repository", 1),
                Map.entry("aws_eks_cluster", 1),
                Map.entry("aws_elasticsearch_domain", 1),
                Map.entry("aws_elasticsearch_domain_policy", 1),
                Map.entry("aws_elb", 1),
                Map.entry("aws_flow_log", 1),
                Map.entry("aws_iam_access_key", 1),
                Map.entry("aws_iam_instance_profile", 1),
                Map.entry("aws_iam_role", 3),
                Map.entry("aws_iam_role_policy", 1),
                Map.entry("aws_iam_role_policy_attachment", 2),
                Map.entry("aws_iam_user", 1),
                Map.entry("aws_iam_user_policy", 1),
                Map.entry("aws_instance", 2),
                Map.entry("aws_internet_gateway", 1),
                Map.entry("aws_kms_alias", 1),
                Map.entry("aws_kms_key", 1),
                Map.entry("aws_lambda_function", 1),
                Map.entry("aws_neptune_cluster", 1),
                Map.entry("aws_neptune_cluster_instance", 1),
                Map.entry("aws_neptune_cluster_snapshot", 1),
                Map.entry("aws_network_interface", 1),
                Map.entry("aws_route", 1),
                Map.entry("aws_route_table", 1),
                Map.entry("aws_route_table_association", 2),
                Map.entry("aws_s3_bucket", 6),
                Map.entry("aws_s3_bucket_object", 1),
                Map.entry("aws_security_group", 2),
                Map.entry("aws_security_group_rule", 2),
                Map.entry("aws_subnet", 4),
                Map.entry("aws_volume_attachment", 1),
                Map.entry("aws_vpc", 2),
                Map.entry("null_resource", 1)));
        assertThat(c.updated()).isZero();
        assertThat(c.deleted()).isZero();
    }

    @Test
    void resourcesInNestedModulesCount() throws IOException {
        PlanChange c = fixture("plan.aws.rds-ec2.tf0.14.json");

        assertThat(c).isEqualTo(new PlanChange(
                Map.of("aws_db_instance", 1, "aws_db_option_group", 1,
                        "aws_db_parameter_group", 1, "aws_db_subnet_group", 1,
                        "aws_iam_role", 1, "aws_iam_role_policy_attachment", 1,
                        "aws_instance", 6),
                Map.of("aws_db_instance", 1),
                Map.of()));
        assertThat(c.created()).isEqualTo(12);
    }

    @Test
    void updateOnlyPlanCountsOneUpdate() throws IOException {
        assertThat(fixture("plan.aws.update.json")).isEqualTo(
                new PlanChange(Map.of(), Map.of("aws_codebuild_project", 1), Map.of()));
    }

    @Test
    void replaceDeleteThenCreateCountsACreateAndADelete() throws IOException {
        assertThat(fixture("plan.null.replace-delete-create.json")).isEqualTo(new PlanChange(
                Map.of("null_resource", 1), Map.of(), Map.of("null_resource", 1)));
    }

    @Test
    void replaceCreateThenDeleteCountsACreateAndADelete() throws IOException {
        assertThat(json(plan("{\"type\":\"aws_instance\",\"change\":{\"actions\":"
                + "[\"create\",\"delete\"]}}"))).isEqualTo(new PlanChange(
                Map.of("aws_instance", 1), Map.of(), Map.of("aws_instance", 1)));
    }

    @Test
    void readNoOpForgetAndDataSourcesAreNotCounted() throws IOException {
        assertThat(jsonChanges(plan("""
                {"type":"aws_ami","mode":"data","change":{"actions":["read"]}},
                {"type":"aws_ami","mode":"data","change":{"actions":["create"]}},
                {"type":"aws_vpc","mode":"managed","change":{"actions":["no-op"]}},
                {"type":"aws_vpc","mode":"managed","change":{"actions":["forget"]}}
                """))).isEqualTo(PlanChange.EMPTY);
    }

    @Test
    void planWithoutResourceChangesChangesNothing() throws IOException {
        assertThat(jsonChanges("{\"format_version\":\"1.2\",\"planned_values\":{}}"))
                .isEqualTo(PlanChange.EMPTY);
    }

    @Test
    void fieldOrderDoesNotMatter() throws IOException {
        assertThat(json("{\"resource_changes\":[{\"change\":{\"after\":{\"a\":[1,{\"b\":2}]},"
                + "\"actions\":[\"create\"]},\"type\":\"aws_elb\"}],\"format_version\":\"1.0\"}"))
                .isEqualTo(new PlanChange(Map.of("aws_elb", 1), Map.of(), Map.of()));
    }

    @Test
    void unknownActionFailsClosedNamingThePath() {
        assertThatThrownBy(() -> json(plan("{\"type\":\"a\",\"change\":{\"actions\":[\"create\"]}},"
                + "{\"type\":\"b\",\"change\":{\"actions\":[\"explode\"]}}")))
                .isInstanceOf(MalformedPlanException.class)
                .hasMessage("resource_changes[1].change.actions[0]: unknown action \"explode\","
                        + " expected one of [create, delete, forget, no-op, read, update]");
    }

    @Test
    void missingTypeIsRejected() {
        assertThatThrownBy(() -> json(plan("{\"change\":{\"actions\":[\"create\"]}}")))
                .hasMessage("resource_changes[0].type: expected a resource type, found nothing");
    }

    @Test
    void missingActionsAreRejected() {
        assertThatThrownBy(() -> json(plan("{\"type\":\"aws_vpc\",\"change\":{}}")))
                .hasMessage("resource_changes[0].change.actions: expected a list of actions,"
                        + " found nothing");
    }

    @Test
    void emptyActionsAreRejected() {
        assertThatThrownBy(() -> json(plan("{\"type\":\"aws_vpc\",\"change\":{\"actions\":[]}}")))
                .hasMessage("resource_changes[0].change.actions: expected at least one action,"
                        + " found []");
    }

    @Test
    void actionsThatAreNotAListAreRejected() {
        assertThatThrownBy(() -> json(plan("{\"type\":\"t\",\"change\":{\"actions\":\"create\"}}")))
                .hasMessage("resource_changes[0].change.actions: expected a list of actions,"
                        + " found \"create\"");
    }

    @Test
    void numericTypeIsRejected() {
        assertThatThrownBy(() -> json(plan("{\"type\":7,\"change\":{\"actions\":[\"create\"]}}")))
                .hasMessage("resource_changes[0].type: expected a string, found 7");
    }

    @Test
    void resourceChangesThatAreNotAnArrayAreRejected() {
        assertThatThrownBy(() -> json("{\"format_version\":\"1.0\",\"resource_changes\":{}}"))
                .hasMessage("resource_changes: expected an array, found an object");
    }

    @Test
    void stateFileIsNotAPlan() {
        assertThatThrownBy(() -> json("{\"format_version\":\"1.0\",\"values\":{}}"))
                .hasMessage("not a terraform show -json plan: expected format_version and"
                        + " planned_values or resource_changes at the top level");
    }

    @Test
    void topLevelArrayIsRejected() {
        assertThatThrownBy(() -> json("[]"))
                .hasMessage("top level: expected a JSON object (terraform show -json output),"
                        + " found an array");
    }

    @Test
    void emptyBodyIsRejected() {
        assertThatThrownBy(() -> json(""))
                .hasMessage("top level: expected a JSON object (terraform show -json output),"
                        + " found the end of the input");
    }

    @Test
    void truncatedPlanIsRejectedWithoutAStackTrace() {
        assertThatThrownBy(() -> json("{\"format_version\":\"1.0\",\"resource_changes\":[{\"ty"))
                .isInstanceOf(MalformedPlanException.class)
                .hasMessageStartingWith("not valid JSON at line 1, column ")
                .hasNoCause();
    }

    @Test
    void duplicateResourceChangesAreRejected() {
        assertThatThrownBy(() -> json("{\"format_version\":\"1.0\",\"resource_changes\":[],"
                + "\"resource_changes\":[]}"))
                .isInstanceOf(MalformedPlanException.class)
                .hasMessageContaining("Duplicate field 'resource_changes'");
    }

    @Test
    void trailingContentIsRejected() {
        assertThatThrownBy(() -> json("{\"format_version\":\"1.0\",\"planned_values\":{}} {}"))
                .hasMessage("unexpected content after the plan's closing brace at line 1,"
                        + " column 46");
    }

    @Test
    void oversizedPlanIsRefusedWhileStreaming() {
        byte[] big = plan("{\"type\":\"t\",\"change\":{\"actions\":[\"create\"],\"after\":\""
                + "x".repeat(10_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
        InputStream in = new LimitedInputStream(new ByteArrayInputStream(big), "plan", 4096);

        assertThatThrownBy(() -> reader.read(in))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("plan is larger than the limit of 4096 bytes");
    }
}
