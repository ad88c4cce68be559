package dev.porthole.server;

import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response body written to the client as it is made, never held whole in memory (the daemon's
 * heap is 128 MiB; one export may be gigabytes). A failure before the first byte left is an
 * ordinary error response. After that the status line is gone, so the connection is aborted: the
 * client sees a truncated download (no final chunk), never a "complete" broken file.
 */
final class StreamedDownload {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedDownload.class);

  /** Writes a body to a stream. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private StreamedDownload() {}

  /** Sends {@code body} as {@code type}, as an attachment named {@code filename} unless null. */
  static void send(Context ctx, String type, String filename, Body body) {
    if (filename != null) {
      ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }
    ctx.contentType(type);
    OutputStream out = new BufferedOutputStream(ctx.outputStream(), 64 * 1024);
    try {
      body.writeTo(out);
      out.flush();
    } catch (IOException | RuntimeException e) {
      if (!ctx.res().isCommitted()) {
        ctx.res().resetBuffer();
        LOG.warn("{} {} failed: {}", ctx.method(), ctx.path(), e.toString());
        throw new ApiError(500, "export failed: " + e.getMessage());
      }
      LOG.warn(
          "{} {}: aborted after the response started: {}", ctx.method(), ctx.path(), e.toString());
      ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
    }
  }
}
