package io.chartpulse.cli.common;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command reads what a person types (a confirmation), injected as picocli injects the output: the root
 * command implements this, and a test's command line answers from a string instead of standard input.
 */
public interface Console {

    BufferedReader input();

    /** The input of the command line {@code spec} runs in: its root's when the root is a console, else stdin. */
    static BufferedReader input(CommandSpec spec) {
        return spec.root().userObject() instanceof Console console
                ? console.input()
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
}
