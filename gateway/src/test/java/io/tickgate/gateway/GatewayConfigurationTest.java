package io.tickgate.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a gateway's settings come from: a {@code -D} system property, then the {@code --config} file, then the
 * default. Flags are applied afterwards through the context's setters.
 */
class GatewayConfigurationTest
{
    @AfterEach
    void clearProperties()
    {
        System.clearProperty(GatewayConfiguration.SIMULATOR_RATE_PROP_NAME);
        System.clearProperty(GatewayConfiguration.HTTP_PORT_PROP_NAME);
    }

    @Test
    void shouldTakeTheSimulatorRateFromTheFile()
    {
        final Gateway.Context ctx = new Gateway.Context(file(GatewayConfiguration.SIMULATOR_RATE_PROP_NAME, "100"));

        assertThat(ctx.simulatorRate).isEqualTo(100.0);
    }

    @Test
    void shouldLetASystemPropertyWinOverTheFile()
    {
        System.setProperty(GatewayConfiguration.SIMULATOR_RATE_PROP_NAME, "1000");
        System.setProperty(GatewayConfiguration.HTTP_PORT_PROP_NAME, "8081");

        final Gateway.Context ctx = new Gateway.Context(file(GatewayConfiguration.SIMULATOR_RATE_PROP_NAME, "100"));

        assertThat(ctx.simulatorRate).isEqualTo(1000.0);
        assertThat(ctx.httpPort()).isEqualTo(8081);
    }

    @Test
    void shouldFallBackToTheDefaultWhereNeitherGivesAValue()
    {
        final Gateway.Context ctx = new Gateway.Context(new Properties());

        assertThat(ctx.simulatorRate).isEqualTo(GatewayConfiguration.SIMULATOR_RATE_DEFAULT);
        assertThat(ctx.httpPort()).isEqualTo(GatewayConfiguration.HTTP_PORT_DEFAULT);
    }

    @Test
    void shouldTrimAStringValue()
    {
        final Gateway.Context ctx = new Gateway.Context(
            file(GatewayConfiguration.BIND_ADDRESS_PROP_NAME, " 127.0.0.1 \t"));

        assertThat(ctx.bindAddress).isEqualTo("127.0.0.1");
    }

    private static Properties file(final String name, final String value)
    {
        final Properties properties = new Properties();
        properties.setProperty(name, value);
        return properties;
    }

    @Test
    void shouldKnowEverySettingItReadsAndDocumentEachOne() throws Exception
    {
        final java.util.Set<String> declared = new java.util.HashSet<>();
        for (final java.lang.reflect.Field field : GatewayConfiguration.class.getFields())
        {
            if (field.getName().endsWith("_PROP_NAME"))
            {
                declared.add((String)field.get(null));
            }
        }
        final String operations = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/operations.md"));

        assertThat(GatewayConfiguration.PROPERTY_NAMES).containsExactlyInAnyOrderElementsOf(declared);
        for (final String name : declared)
        {
            assertThat(operations).as("docs/operations.md names " + name).contains("`" + name + "`");
        }
    }
}
