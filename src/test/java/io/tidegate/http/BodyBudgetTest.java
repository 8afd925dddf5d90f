package io.tidegate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Webhook bodies share one byte budget; a request over it gets nothing, and gives all back. */
class BodyBudgetTest {
    static final int MB = 1024 * 1024;
    static final int LARGEST = 25 * MB;

    @Test
    void theBudgetIsAQuarterOfTheHeapBetweenTwoLargestBodiesAnd256Mib() {
        assertThat(BodyBudget.forHeap(128L * MB, LARGEST).maxBytes()).isEqualTo(2 * LARGEST);
        assertThat(BodyBudget.forHeap(512L * MB, LARGEST).maxBytes()).isEqualTo(128 * MB);
        assertThat(BodyBudget.forHeap(64L * 1024 * MB, LARGEST).maxBytes()).isEqualTo(256 * MB);
    }

    @Test
    void aLeaseHoldsWhatItAllocatesAndCopiesAndGivesItAllBackOnClose() throws Exception {
        BodyBudget budget = new BodyBudget(1000);
        try (BodyBudget.Lease lease = budget.lease()) {
            byte[] first = lease.allocate(100);
            first[99] = 7;
            assertThat(budget.available()).isEqualTo(900);
            byte[] bigger = lease.copy(first, 100, 400);
            assertThat(bigger[99]).isEqualTo((byte) 7);
            assertThat(budget.available()).as("the old buffer is given back").isEqualTo(600);
        }
        assertThat(budget.available()).isEqualTo(1000);
    }

    @Test
    void aRequestOverTheBudgetIsRefusedWithNothingTakenAndTheOthersKeepTheirs() throws Exception {
        BodyBudget budget = new BodyBudget(1000);
        BodyBudget.Lease first = budget.lease();
        first.allocate(700);
        try (BodyBudget.Lease second = budget.lease()) {
            assertThatThrownBy(() -> second.allocate(400)).isInstanceOf(BodyBudget.Exhausted.class);
            assertThat(budget.available()).isEqualTo(300);
            byte[] small = second.allocate(200);
            assertThatThrownBy(() -> second.copy(small, 200, 400))
                    .isInstanceOf(BodyBudget.Exhausted.class);
            assertThat(budget.available()).as("a failed copy keeps the old buffer held")
                    .isEqualTo(100);
        }
        first.close();
        assertThat(budget.available()).isEqualTo(1000);
    }
}
