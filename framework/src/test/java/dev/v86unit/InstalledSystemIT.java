package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The debian image behaves like an installed Debian: its first boot ran every package's maintainer
 * scripts (dpkg --configure -a), so dpkg's records, alternatives, users made by postinst scripts and
 * Python's bytecode are there, for the base image and for one derived from it.
 */
class InstalledSystemIT {

    @Test
    void every_package_is_configured_and_dpkg_knows_its_files() {
        try (V86Machine vm = V86Machine.start("debian")) {
            assertThat(vm.exec("dpkg-query -W -f '${db:Status-Status}\\n' | sort | uniq -c").stdout().strip())
                    .matches("\\d+ installed");
            assertThat(vm.exec("dpkg -s python3").stdout()).contains("Status: install ok installed");
            assertThat(vm.exec("dpkg -L coreutils").stdout()).contains("/bin/ls\n");
            assertThat(vm.exec("dpkg -S /bin/ls").stdout()).startsWith("coreutils: /bin/ls");
            assertThat(vm.exec("dpkg --audit").stdout()).isEmpty();
        }
    }

    @Test
    void alternatives_and_diversions_are_what_the_scripts_made() {
        try (V86Machine vm = V86Machine.start("debian")) {
            ExecResult awk = vm.exec("update-alternatives --query awk");
            assertThat(awk.exitCode()).isZero();
            assertThat(awk.stdout()).contains("Value: /usr/bin/mawk");
            assertThat(vm.exec("readlink -f /usr/bin/awk").stdout()).isEqualTo("/usr/bin/mawk\n");
            assertThat(vm.exec("update-alternatives --query pager").stdout()).contains("Value: /usr/bin/less");
            assertThat(vm.exec("dpkg-divert --list /bin/sh").stdout()).contains("diversion of /bin/sh to /bin/sh.distrib by dash");
            assertThat(vm.exec("test -s /etc/ld.so.cache").exitCode()).as("libc-bin's ldconfig trigger ran").isZero();
        }
    }

    @Test
    void python_finds_its_standard_library_precompiled() {
        try (V86Machine vm = V86Machine.start("debian")) {
            List<String> modules = List.of("os", "json/__init__", "sqlite3/__init__", "ssl", "encodings/utf_8");
            for (String module : modules) {
                String pyc = "/usr/lib/python3.11/" + (module.contains("/")
                        ? module.substring(0, module.indexOf('/')) + "/__pycache__/" + module.substring(module.indexOf('/') + 1)
                        : "__pycache__/" + module) + ".cpython-311.pyc";
                assertThat(vm.exec("test -s " + pyc).exitCode()).as(pyc).isZero();
            }
            // Nothing left to write: a run that compiled anything would leave a newer .pyc behind.
            vm.exec("touch /tmp/before; sleep 1");
            ExecResult imports = vm.exec("python3 -c 'import json, sqlite3, ssl; print(1)'");
            assertThat(imports.exitCode()).as(imports.toString()).isZero();
            assertThat(imports.stdout()).isEqualTo("1\n");
            assertThat(vm.exec("find /usr/lib/python3.11 -name '*.pyc' -newer /tmp/before | head -3").stdout()).isEmpty();
        }
    }

    @Test
    void a_derived_image_gets_the_users_its_packages_postinst_scripts_create() {
        try (V86Machine vm = V86Machine.start(MachineSpec.of("debian").withPackages("uuid-runtime"))) {
            ExecResult id = vm.exec("id uuidd");
            assertThat(id.exitCode()).as(id.toString()).isZero();
            assertThat(id.stdout()).contains("(uuidd)");
            assertThat(vm.exec("dpkg -s uuid-runtime").stdout()).contains("Status: install ok installed");
            assertThat(vm.exec("dpkg-query -W -f '${db:Status-Status}\\n' | sort -u").stdout()).isEqualTo("installed\n");
            assertThat(vm.exec("test -s /usr/lib/python3.11/__pycache__/os.cpython-311.pyc").exitCode())
                    .as("the base image's configuration is kept").isZero();
        }
    }
}
