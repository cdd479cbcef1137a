package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileSourceTest {

    @Test
    void finds_classpath_files_and_folders() {
        assertThat(FileSource.classpath("transfer-fixture/readme.txt").path()).isRegularFile();
        assertThat(FileSource.parse("classpath:transfer-fixture/").path()).isDirectory();
        assertThat(FileSource.classpath("/transfer-fixture").toString()).isEqualTo("classpath:/transfer-fixture");
    }

    @Test
    void names_what_is_missing() {
        assertThatThrownBy(() -> FileSource.classpath("no/such/resource.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Classpath resource not found: 'no/such/resource.txt'");
        assertThatThrownBy(() -> FileSource.parse("file:/no/such/file"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Host file or directory not found: /no/such/file");
        assertThatThrownBy(() -> FileSource.of(Path.of("no-such-dir/x")))
                .hasMessageContaining("no-such-dir/x");
    }

    @Test
    void bytes_are_copied_in_and_out() {
        byte[] content = {1, 2, 3};
        FileSource source = FileSource.of(content);
        content[0] = 9;
        assertThat(source.bytes()).containsExactly(1, 2, 3);
        assertThat(source.path()).isNull();
    }
}
