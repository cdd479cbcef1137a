package dev.v86unit.cli;

import dev.v86unit.MachineSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The machine a command runs in: an image and its packages, as {@code @V86Vm(image, packages)} names it. */
final class ImageOptions {

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image: busybox, debian.")
    String image;

    @Option(names = {"-p", "--packages"}, split = ",", paramLabel = "PKG",
            description = "Debian packages to add (a derived image, as @V86Vm(packages = ...)), comma-separated.")
    List<String> packages = new ArrayList<>();

    /** @return the spec a test with this image and these packages uses, so the same snapshot */
    MachineSpec spec() {
        return MachineSpec.of(image).withPackages(packages.toArray(String[]::new));
    }
}
