package dev.porthole.routing.http;

import dev.porthole.routing.Balancer;
import dev.porthole.routing.Upstream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.ConnectException;
import java.util.List;

/**
 * Returns the upstream connection of one request: tries the route's upstreams in the balancer's
 * order, marks one that refused (it is skipped for a while) and moves on; when none accepts, asks
 * for the diagnosis of the first and hands the frontend a 502.
 */
final class UpstreamConnector {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final RouterContext router;
  private final Exchange client;

  UpstreamConnector(RouterContext router, Exchange client) {
    this.router = router;
    this.client = client;
  }

  /** Connects to the first upstream of {@code order} that accepts. */
  void connect(Balancer route, List<Upstream> order) {
    attempt(route, order, 0);
  }

  private void attempt(Balancer route, List<Upstream> order, int i) {
    Upstream u = order.get(i);
    ChannelFuture f =
        router
            .engine()
            .clientBootstrap(client.eventLoop())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("http", new HttpClientCodec());
                    Backend b = new Backend(router.pool(), u);
                    b.attach(client, route, false);
                    ch.pipeline().addLast("backend", b);
                  }
                })
            .connect(u.host(), u.port());
    f.addListener(
        done -> {
          if (done.isSuccess()) {
            route.answered(u);
            client.link().connected(f.channel());
            return;
          }
          if (done.cause() instanceof ConnectException) {
            route.refused(u);
          }
          if (i + 1 < order.size()) {
            attempt(route, order, i + 1);
          } else {
            client.diagnoseAndFail(order.getFirst(), "refused the connection");
          }
        });
  }
}
