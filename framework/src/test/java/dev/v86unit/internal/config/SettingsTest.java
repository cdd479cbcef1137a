package dev.v86unit.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.V86Exception;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Properties properties(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    @Test
    void defaults_follow_the_xdg_cache_convention() {
        Settings settings = Settings.load(properties(), Map.of("XDG_CACHE_HOME", "/xdg"));
        assertThat(settings.cacheDir()).isEqualTo(Path.of("/xdg/v86unit"));
        assertThat(settings.node()).isEqualTo("node");
        assertThat(settings.debianMirror()).isEqualTo(URI.create("http://deb.debian.org/debian"));
        assertThat(settings.bootTimeout()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void without_xdg_the_cache_is_under_the_home_directory() {
        Settings settings = Settings.load(properties(), Map.of());
        assertThat(settings.cacheDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "v86unit"));
    }

    @Test
    void environment_variables_override_defaults_and_properties_override_both() {
        Map<String, String> env = Map.of("V86UNIT_CACHE_DIR", "/env-cache", "V86UNIT_NODE", "/env/node",
                "V86UNIT_DEBIAN_MIRROR", "http://mirror.example/debian/");
        Settings fromEnv = Settings.load(properties(), env);
        assertThat(fromEnv.cacheDir()).isEqualTo(Path.of("/env-cache"));
        assertThat(fromEnv.node()).isEqualTo("/env/node");
        assertThat(fromEnv.debianMirror()).isEqualTo(URI.create("http://mirror.example/debian"));

        Settings fromProperties = Settings.load(properties("v86unit.cache.dir", "/prop-cache", "v86unit.node", "/prop/node"), env);
        assertThat(fromProperties.cacheDir()).isEqualTo(Path.of("/prop-cache"));
        assertThat(fromProperties.node()).isEqualTo("/prop/node");
    }

    @Test
    void timeouts_take_seconds_or_iso_durations_and_reject_nonsense_by_name() {
        assertThat(Settings.load(properties("v86unit.boot.timeout", "90"), Map.of()).bootTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Settings.load(properties("v86unit.exec.timeout", "PT2M"), Map.of()).execTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Settings.load(properties("v86unit.boot.timeout", "soon"), Map.of()))
                .isInstanceOf(V86Exception.class)
                .hasMessageContaining("'soon'").hasMessageContaining("v86unit.boot.timeout").hasMessageContaining("V86UNIT_BOOT_TIMEOUT");
    }
}
