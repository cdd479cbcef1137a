package dev.v86unit.images.internal.debian;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("DebianVersion orders versions like dpkg --compare-versions")
class DebianVersionTest {

    /** Each pair was checked with dpkg --compare-versions on Debian 12. */
    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource(delimiter = ' ', value = {
        "1.0~rc1 1.0",
        "1.0 1.0-1",
        "2.0 1:0.1",
        "6.1.170-1 6.1.176-1",
        "6.1.0-9 6.1.0-50",
        "1.0 1.0a",
        "1.0 1.0+b1",
        "1.0~~ 1.0~~a",
        "1.0~~a 1.0~",
        "1.0~ 1.0",
        "1.0a 1.0+",
        "1.0a 1.0.1",
        "1:1.35.0-4+deb12u1 1:1.35.0-4+deb12u1+b1",
        "1.2 1.99999999999999999999",
        "1.0-1~bpo1 1.0-1",
        "2.4-1 2.30-1",
        "1.0-a 1.0-+",
    })
    void should_order_like_dpkg(String lower, String higher) {
        assertThat(DebianVersion.compare(lower, higher)).isNegative();
        assertThat(DebianVersion.compare(higher, lower)).isPositive();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ' ', value = {"1.0-0 1.0", "1.01 1.1", "0:1.0 1.0", "6.1.176-1 6.1.176-1"})
    void should_treat_equivalent_spellings_as_equal(String a, String b) {
        assertThat(DebianVersion.compare(a, b)).isZero();
        assertThat(DebianVersion.parse(a)).isEqualTo(DebianVersion.parse(b))
                .hasSameHashCodeAs(DebianVersion.parse(b));
    }

    @Test
    void should_sort_a_list_of_kernel_versions() {
        List<DebianVersion> versions = new ArrayList<>();
        for (String v : List.of("6.1.0-50", "6.1.0-9", "6.1.0-47", "6.1.0-100", "6.1.0-47~bpo")) {
            versions.add(DebianVersion.parse(v));
        }
        Collections.sort(versions);
        assertThat(versions).extracting(DebianVersion::toString)
                .containsExactly("6.1.0-9", "6.1.0-47~bpo", "6.1.0-47", "6.1.0-50", "6.1.0-100");
    }

    @Nested
    class Rejects {

        @Test
        void should_reject_a_non_numeric_epoch() {
            assertThatThrownBy(() -> DebianVersion.parse("x:1.0"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("epoch").hasMessageContaining("x:1.0");
        }

        @Test
        void should_reject_an_empty_upstream_version() {
            assertThatThrownBy(() -> DebianVersion.parse("1:-1"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty upstream version");
        }
    }
}
