package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.internal.deb.DebEntry;
import dev.v86unit.images.internal.deb.DebExtractor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One package read from its {@code .deb}: its members in archive order, with the content of each regular
 * file already in the {@link ContentStore}, and the control files asked for. Reading (decompression,
 * hashing, storing) is the slow part of a build and independent per package, so packages are read in
 * parallel; placing them into the tree stays sequential, in name order, which keeps the result deterministic.
 *
 * @param members every data member, with the sha256 of a stored regular file (null for other members and
 *                for files left out by {@link Exclusions})
 */
record UnpackedDeb(String pkg, List<Member> members, Map<String, byte[]> control) {

    /** A member of the data archive and, for a stored regular file, its content's sha256. */
    record Member(DebEntry entry, String sha256) {
    }

    static UnpackedDeb read(String pkg, Path deb, Set<String> controlFiles, ContentStore store) {
        List<Member> members = new ArrayList<>();
        Map<String, byte[]> control = DebExtractor.unpack(deb, controlFiles, (entry, content) -> {
            boolean stored = entry.type() == DebEntry.Type.FILE && !Exclusions.excluded(entry.path());
            members.add(new Member(entry, stored ? store.put(content, entry.size()) : null));
        });
        return new UnpackedDeb(pkg, List.copyOf(members), control);
    }

    void placeInto(Rootfs rootfs) {
        for (Member member : members) {
            rootfs.addStored(pkg, member.entry(), member.sha256());
        }
    }
}
