package dev.v86unit.cli;

import dev.v86unit.V86Machine;
import dev.v86unit.tooling.GuestConsole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code shell IMAGE [--packages ...]}: the terminal attached to an interactive shell in a new machine. */
@Command(name = "shell", description = {"Attaches the terminal to a shell in a machine of IMAGE, restored from the snapshot"
        + " tests use. ^C goes to the guest; 'exit' or ^D ends the shell and the machine.",
        "Keys from a pipe work too: echo 'uname -a; exit' | ... shell busybox."})
final class ShellCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Mixin
    ImageOptions image = new ImageOptions();

    @Override
    public Integer call() throws IOException {
        main.applySettings();
        try (V86Machine vm = V86Machine.start(image.spec())) {
            Terminal terminal = Terminal.rawIfInteractive();
            try {
                if (terminal != null) {
                    main.stderr.write(("Connected to a machine of " + image.spec().image() + " (" + vm.imageId()
                            + "). 'exit' or ^D ends it.\r\n").getBytes(StandardCharsets.UTF_8));
                    main.stderr.flush();
                }
                return GuestConsole.interactiveShell(vm, main.stdin, main.stdout);
            } finally {
                if (terminal != null) {
                    terminal.close();
                }
            }
        }
    }
}
