package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.GuestProcess;
import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real i386 PostgreSQL 15 from Debian, queried over JDBC through its mapped port.
 *
 * <p>Tagged slow, so not in the default run: on an empty cache its image's first boot (the maintainer
 * scripts of postgresql-15 and its perl-based helpers) takes many minutes in the emulator. Run it with
 * {@code -Dv86unit.examples.excludedGroups=}.
 */
@Tag("slow")
@V86Vm(image = "debian", packages = {"postgresql-15"}, exposedPorts = 5432)
class LegacyDatabaseTest {

    private static final String BIN = "/usr/lib/postgresql/15/bin";

    @BeforeAll
    static void start(V86Machine vm) {
        // The postgres user, its home and PAM's configuration for su come from the maintainer scripts,
        // which the image's first boot ran.
        assertThat(vm.exec("su postgres -c '" + BIN + "/initdb -D /tmp/pg -A trust --no-sync'", Duration.ofMinutes(3))).succeeds(); // 37 s measured
        // The test's connections arrive from host.v86unit.internal (the emulated router), not from loopback.
        assertThat(vm.exec("echo 'host all all 192.168.86.1/32 trust' >> /tmp/pg/pg_hba.conf")).succeeds();
        GuestProcess server = vm.execInBackground("su postgres -c '" + BIN + "/postgres -D /tmp/pg -c listen_addresses=*"
                + " -c unix_socket_directories=/tmp -c shared_buffers=16MB -c fsync=off'");
        vm.waitForPort(5432, Duration.ofMinutes(2));
        // The port opens before the server takes queries ("the database system is starting up")
        server.waitForOutput("ready to accept connections", Duration.ofMinutes(2));
    }

    @Test
    void answers_a_query_over_jdbc(V86Machine vm) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + vm.hostPort(5432) + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create table legacy (id int primary key, name text)");
            statement.execute("insert into legacy values (1, 'i386'), (2, 'v86')");
            try (ResultSet rows = statement.executeQuery("select string_agg(name, ',' order by id), version() from legacy")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("i386,v86");
                assertThat(rows.getString(2)).startsWith("PostgreSQL 15").contains("i686");
            }
        }
    }
}
