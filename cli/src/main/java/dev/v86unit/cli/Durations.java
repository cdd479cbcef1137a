package dev.v86unit.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration as the settings take it: seconds ({@code 90}) or ISO-8601 ({@code PT5M}). */
final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            Duration duration = value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new TypeConversionException("'" + value + "' is not a positive duration");
            }
            return duration;
        } catch (java.time.format.DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is neither seconds nor an ISO-8601 duration like PT5M");
        }
    }
}
