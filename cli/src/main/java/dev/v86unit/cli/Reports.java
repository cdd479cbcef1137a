package dev.v86unit.cli;

import dev.v86unit.tooling.CacheUsage;
import dev.v86unit.tooling.CachedImage;
import dev.v86unit.tooling.FileCount;
import dev.v86unit.tooling.PruneReport;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text of {@code images} and {@code prune}. */
final class Reports {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private Reports() {
    }

    static String images(CacheUsage usage, ZoneId zone, boolean fullIds) {
        StringBuilder text = new StringBuilder();
        text.append("Cache ").append(usage.dir()).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IMAGE", "ID", "SIZE", "LAST USE", "STATUS"});
        for (CachedImage image : usage.images()) {
            rows.add(new String[] {image.label(), id(image.id(), fullIds), size(image.sizeBytes()),
                    image.lastUse().map(t -> time(t, zone)).orElse("-"), status(image)});
        }
        if (usage.images().isEmpty()) {
            text.append("No images built yet.\n");
        } else {
            text.append(table(rows));
        }
        text.append('\n');
        text.append(line("Image builds", usage.buildFiles()));
        text.append(line("Snapshots", usage.snapshots()));
        text.append(line("Configured layers", usage.layers()));
        text.append(line("Content store", usage.contentStore()));
        text.append(line(".deb cache", usage.debs()));
        text.append(line("Node host", usage.nodeHost()));
        text.append(line("Total", usage.total()));
        return text.toString();
    }

    static String prune(PruneReport report) {
        StringBuilder text = new StringBuilder();
        String removed = report.dryRun() ? "Would remove" : "Removed";
        for (CachedImage image : report.removedImages()) {
            text.append(removed).append(" image ").append(image.label()).append(' ').append(id(image.id(), false)).append(" (")
                    .append(image.current() ? "not wanted" : "no longer built").append(", ").append(size(image.sizeBytes())).append(")\n");
        }
        for (CachedImage image : report.keptInUse()) {
            text.append("Kept image ").append(image.label()).append(' ').append(id(image.id(), false))
                    .append(": a running machine uses it\n");
        }
        String freed = report.dryRun() ? "Would free" : "Freed";
        text.append(line(freed + ": image builds", report.buildFiles()));
        text.append(line(freed + ": snapshots", report.snapshots()));
        text.append(line(freed + ": configured layers", report.layers()));
        text.append(line(freed + ": content store", report.contentStore()));
        text.append(line(freed + ": .deb cache", report.debs()));
        text.append(line(freed + " in total", report.total()));
        return text.toString();
    }

    static String status(CachedImage image) {
        if (image.inUse()) {
            return "in use";
        }
        return image.current() ? "current" : "stale (prune removes it)";
    }

    static String id(String id, boolean full) {
        if (id == null) {
            return "(damaged)";
        }
        return full || id.length() <= 19 ? id : id.substring(0, 19);
    }

    static String time(Instant instant, ZoneId zone) {
        return TIME.format(instant.atZone(zone));
    }

    private static String line(String label, FileCount count) {
        return String.format(Locale.ROOT, "%-32s %8d files %12s%n", label + ":", count.files(), size(count.bytes()));
    }

    /** @return bytes in decimal units, as {@code du -h --si} */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i]));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
