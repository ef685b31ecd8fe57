package io.chartpulse.cli.schemas;

import io.chartpulse.cli.common.CliException;
import io.chartpulse.cli.common.ExitCode;
import io.chartpulse.schemas.ChartPulseSchema;
import io.chartpulse.serde.registry.RegistryClientSettings;
import io.chartpulse.serde.registry.RegistryRestException;
import io.chartpulse.serde.registry.RegistryUnavailableException;
import io.chartpulse.serde.registry.SchemaRegistryClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chartpulse schemas register|check}: ChartPulse's schemas against a registry. */
@Command(
        name = "schemas",
        mixinStandardHelpOptions = true,
        description = "ChartPulse's Avro schemas and a registry.",
        subcommands = {SchemasCommand.Register.class, SchemasCommand.Check.class},
        footer = {
            "%nExamples:",
            "  chartpulse schemas check --registry-url http://127.0.0.1:8081",
            "  chartpulse schemas register --registry-url http://127.0.0.1:8081"
        })
public final class SchemasCommand {

    static final class RegistryOption {
        @Option(
                names = "--registry-url",
                defaultValue = "${env:CHARTPULSE_REGISTRY_URL:-http://127.0.0.1:8081}",
                description = "Schema registry URL (env CHARTPULSE_REGISTRY_URL; default ${DEFAULT-VALUE}).")
        String url;

        SchemaRegistryClient client() {
            return new SchemaRegistryClient(RegistryClientSettings.of(url));
        }
    }

    private static <T> T ask(String url, Supplier<T> call) {
        try {
            return call.get();
        } catch (RegistryUnavailableException e) {
            throw new CliException(ExitCode.UNREACHABLE, "Cannot reach the registry at " + url + ": " + e.getMessage());
        } catch (RegistryRestException e) {
            throw new CliException(ExitCode.REMOTE_ERROR, "The registry refused: " + e.getMessage());
        }
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = "Register the current schema of every "
                    + "ChartPulse topic under <topic>-value (idempotent: an identical schema keeps its id).",
            footer = {"%nExample:", "  chartpulse schemas register --registry-url http://127.0.0.1:8081"})
    static final class Register implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RegistryOption registry = new RegistryOption();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SchemaRegistryClient client = registry.client();
            for (ChartPulseSchema schema : ChartPulseSchema.values()) {
                int id = ask(registry.url, () -> client.register(schema.valueSubject(), schema.schema()));
                out.printf("%-32s id %d%n", schema.valueSubject(), id);
            }
            return ExitCode.OK;
        }
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Check that every current schema is "
                    + "compatible with what the registry holds (exit 1 if one is not).",
            footer = {"%nExample:", "  chartpulse schemas check --registry-url http://127.0.0.1:8081"})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RegistryOption registry = new RegistryOption();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SchemaRegistryClient client = registry.client();
            boolean ok = true;
            for (ChartPulseSchema schema : ChartPulseSchema.values()) {
                boolean registered = ask(registry.url, () -> client.subjects()).contains(schema.valueSubject());
                boolean compatible = !registered
                        || ask(registry.url, () -> client.isCompatible(schema.valueSubject(), schema.schema()));
                out.printf(
                        "%-32s %s%n",
                        schema.valueSubject(),
                        !registered ? "not registered yet" : compatible ? "compatible" : "NOT COMPATIBLE");
                ok &= compatible;
            }
            return ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
        }
    }
}
