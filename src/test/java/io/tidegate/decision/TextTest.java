package io.tidegate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void usdGroupsThousandsAndRoundsHalfUpToCents() {
        assertThat(Text.usd(new BigDecimal("0"))).isEqualTo("$0.00");
        assertThat(Text.usd(new BigDecimal("999.995"))).isEqualTo("$1,000.00");
        assertThat(Text.usd(new BigDecimal("1830"))).isEqualTo("$1,830.00");
        assertThat(Text.usd(new BigDecimal("-12"))).isEqualTo("-$12.00");
        assertThat(Text.usd(new BigDecimal("1234567.891"))).isEqualTo("$1,234,567.89");
        assertThat(Text.usd(new BigDecimal("1E+7"))).isEqualTo("$10,000,000.00");
    }

    /** The hand-written grouping spells every amount as the DecimalFormat it replaced did. */
    @Test
    void usdSpellsAmountsAsDecimalFormatDid() {
        Random random = new Random(19);
        for (int i = 0; i < 20_000; i++) {
            BigDecimal amount = BigDecimal.valueOf(random.nextLong() % 10_000_000_000L,
                    random.nextInt(6) - 1);
            assertThat(Text.usd(amount)).as("%s", amount).isEqualTo(decimalFormat(amount));
        }
    }

    private static String decimalFormat(BigDecimal amount) {
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        String s = f.format(amount.abs().setScale(2, RoundingMode.HALF_UP));
        return (amount.signum() < 0 ? "-$" : "$") + s;
    }
}
