package dev.porthole.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Returns a test listener that queues what a recorder publishes, with bounded waits. */
final class Collected implements CaptureListener {
  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<ConnectionRecord> records = new LinkedBlockingQueue<>();
  final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

  @Override
  public void frame(Frame frame) {
    frames.add(frame);
  }

  @Override
  public void request(Request request) {
    requests.add(request);
  }

  @Override
  public void connection(ConnectionRecord record) {
    records.add(record);
  }

  /** Returns the next record of the connection from {@code client} ({@link OwnRecords#key}). */
  ConnectionRecord nextRecord(String client) throws InterruptedException {
    return OwnRecords.next(records, client, 10);
  }

  ConnectionRecord nextRecord() throws InterruptedException {
    ConnectionRecord r = records.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no connection record within 10 s");
    }
    return r;
  }

  List<Request> requests(int n) throws InterruptedException {
    List<Request> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Request r = requests.poll(10, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("only " + out.size() + " of " + n + " requests within 10 s");
      }
      out.add(r);
    }
    return out;
  }
}
