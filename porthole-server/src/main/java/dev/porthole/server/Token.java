package dev.porthole.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Returns the API token kept in the data directory in a file only its owner can read (mode 0600).
 *
 * <p>The daemon creates it on first start; the CLI reads it to send {@code Authorization: Bearer
 * <token>}. Anyone who can read the file is already this user.
 */
public final class Token {
  /** The token's file name inside the data directory. */
  public static final String FILE = "token";

  private Token() {}

  /** Returns the token in {@code dataDir}, creating it (mode 0600) when missing. */
  public static String loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    String existing = read(dataDir);
    if (existing != null) {
      return existing;
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    Files.deleteIfExists(tmp);
    if (dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(ownerOnly));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, file);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp); // another process won the race; use its token
      return read(dataDir);
    }
    return token;
  }

  /** Returns the token in {@code dataDir}, or {@code null} if there is none or it is unreadable. */
  public static String read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? null : text;
    } catch (IOException e) {
      return null;
    }
  }
}
