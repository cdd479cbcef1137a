/**
 * AssertJ assertions on what guest commands did: {@code import static dev.v86unit.assertj.V86Assertions.assertThat;}
 *
 * <pre>{@code
 * assertThat(vm.exec("ls /nope")).fails().stderr().contains("No such file");
 * }</pre>
 */
package dev.v86unit.assertj;
