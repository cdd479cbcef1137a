package dev.v86unit.images.internal.io;

import java.time.Duration;
import java.util.Locale;

/** Sizes and durations for log lines: "49.5 MB", "1.2 s". */
public final class Human {

    private Human() {
    }

    /** Binary megabytes with one decimal, small sizes in KB so that a 9 KB file does not show as 0.0 MB. */
    public static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    public static String duration(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
