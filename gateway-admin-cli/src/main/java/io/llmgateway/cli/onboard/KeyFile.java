package io.llmgateway.cli.onboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.llmgateway.cli.CliException;
import io.llmgateway.cli.ExitCode;
import io.llmgateway.core.admin.IssuedKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where new plaintext keys go: a CSV file readable only by its owner, or stdout when asked for
 * ({@code --out -}). A new file is created with mode 0600 in the same system call that creates it
 * (no window in which it is world-readable); an existing file is appended to, never truncated, and
 * only if it is a regular file (not a symlink) that nobody else can read. Each key is written and
 * flushed the moment it is issued, so a crash cannot lose a key that was stored. Thread-safe
 * (writes are serialized).
 */
public final class KeyFile implements AutoCloseable {
  static final List<String> HEADER =
      List.of(
          "email", "tier", "user_alias", "key_id", "key_alias", "api_key", "action", "issued_at");
  // Quote only what RFC 4180 requires (comma, quote, line break), so keys read back verbatim.
  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Writer writer;
  private final String description;
  private final boolean closeWriter;
  private int written;

  private KeyFile(Writer writer, String description, boolean closeWriter) {
    this.writer = writer;
    this.description = description;
    this.closeWriter = closeWriter;
  }

  /** Keys to stdout (only when the user asked with {@code --out -}). */
  public static KeyFile stdout(PrintWriter out) {
    KeyFile f = new KeyFile(out, "stdout", false);
    f.line(HEADER);
    return f;
  }

  /** Creates {@code path} owner-only, or appends to it if it already exists and is owner-only. */
  public static KeyFile open(Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new CliException(
            ExitCode.VALIDATION,
            "cannot write keys to " + path + ": directory " + parent + " does not exist");
      }
      boolean created;
      try {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        created = true;
      } catch (FileAlreadyExistsException e) {
        checkExisting(path);
        created = false;
      } catch (UnsupportedOperationException e) {
        throw new CliException(
            ExitCode.VALIDATION,
            "cannot create "
                + path
                + " with owner-only permissions on this file system;"
                + " write the keys file to a POSIX file system");
      }
      Writer w =
          Files.newBufferedWriter(
              path,
              StandardCharsets.UTF_8,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND,
              LinkOption.NOFOLLOW_LINKS);
      KeyFile f = new KeyFile(w, path.toString(), true);
      if (created || Files.size(path) == 0) {
        f.line(HEADER);
      }
      return f;
    } catch (IOException e) {
      throw CliException.infrastructure("cannot write keys to " + path + ": " + e.getMessage(), e);
    }
  }

  private static void checkExisting(Path path) throws IOException {
    if (Files.isSymbolicLink(path) || !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new CliException(
          ExitCode.VALIDATION, path + " exists and is not a regular file: choose another --out");
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    if (!OWNER_ONLY.containsAll(perms)) {
      throw new CliException(
          ExitCode.VALIDATION,
          path
              + " exists and others may read it ("
              + PosixFilePermissions.toString(perms)
              + "): run 'chmod 600 "
              + path
              + "' or choose another --out (keys are appended, never overwritten)");
    }
  }

  public synchronized void write(OnboardingRow row, IssuedKey issued, String action, Instant at) {
    line(
        List.of(
            row.email(),
            row.tier(),
            row.alias().orElse(""),
            issued.key().id(),
            issued.key().alias().orElse(""),
            issued.plaintext(),
            action,
            at.toString()));
    written++;
  }

  public synchronized int written() {
    return written;
  }

  public String description() {
    return description;
  }

  private void line(List<String> cells) {
    CsvSchema.Builder schema = CsvSchema.builder();
    HEADER.forEach(schema::addColumn);
    try {
      writer.write(CSV.writer(schema.build()).writeValueAsString(cells));
      writer.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw CliException.infrastructure(
          "cannot write keys to " + description + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      if (closeWriter) {
        writer.close();
      } else {
        writer.flush();
      }
    } catch (IOException e) {
      throw CliException.infrastructure("cannot close " + description + ": " + e.getMessage(), e);
    }
  }
}
