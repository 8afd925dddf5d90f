package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ResourceChange;
import org.junit.jupiter.api.Test;

/** The plan encoding both stores share: counts, and each change when known. */
class CodecTest {
    @Test
    void planChangesReadBackWithAddressesAndActions() {
        PlanChange plan = PlanChange.of(List.of(
                ResourceChange.of("module.db.aws_db_instance.main", "aws_db_instance", true,
                        false, true),
                ResourceChange.of("aws_s3_bucket.b[\"a.b\"]", "aws_s3_bucket", false, true,
                        false)));

        assertThat(Codec.planFromJson(Codec.planToJson(plan))).isEqualTo(plan);
    }

    @Test
    void aRowWrittenBeforeChangesWereKeptReadsBackAsCountsOnly() {
        PlanChange old = Codec.planFromJson("{\"created\":{\"aws_instance\":2},\"updated\":{},"
                + "\"deleted\":{}}");

        assertThat(old).isEqualTo(new PlanChange(Map.of("aws_instance", 2), Map.of(), Map.of()));
        assertThat(old.changes()).isEmpty();
    }
}
