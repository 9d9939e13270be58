package org.civicpoints.api.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request head (request line and headers) is not complete within the
 * timeout from its first byte. Vert.x bounds the head's size (414, 431) and a silent connection's
 * life (idle timeout), not the time the head takes: a client sending a header byte every few
 * seconds (slowloris) would hold its connection for ever. Vert.x 5 has no option for this, so this
 * watches Netty's pipeline around the HTTP/1.x decoder: bytes in front of it start the clock, a
 * decoded head behind it stops it, and the end of the request lets the next request's first byte
 * start it again. This needs the handlers in place before the first byte: Vert.x hands an HTTP/1.x
 * connection to the connection handler at once only without h2c (with it, after the first request
 * head), so the server runs with h2c off. HTTP/2 connections (no such decoder) are left to the idle
 * timeout.
 */
public final class RequestHeadTimeout implements Handler<HttpConnection> {

  private static final String DECODER = "httpDecoder";

  private final long timeoutMillis;

  public RequestHeadTimeout(Duration timeout) {
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public void handle(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase netty)) {
      return;
    }
    ChannelPipeline pipeline = netty.channel().pipeline();
    if (pipeline.get(DECODER) == null) {
      return;
    }
    HeadWatch watch = new HeadWatch();
    pipeline.addBefore(DECODER, "requestHeadStarts", watch.bytesIn);
    pipeline.addAfter(DECODER, "requestHeadEnds", watch.decoded);
  }

  /** One per connection; Netty calls both handlers and the deadline on the connection's thread. */
  private final class HeadWatch {
    private ScheduledFuture<?> deadline;
    private boolean inRequest;

    final ChannelInboundHandlerAdapter bytesIn =
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object bytes) {
            if (!inRequest && deadline == null) {
              deadline =
                  ctx.executor().schedule(() -> ctx.close(), timeoutMillis, TimeUnit.MILLISECONDS);
            }
            ctx.fireChannelRead(bytes);
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            stopClock();
            ctx.fireChannelInactive();
          }
        };

    final ChannelInboundHandlerAdapter decoded =
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof HttpRequest) {
              stopClock();
              inRequest = true;
            }
            if (message instanceof LastHttpContent) {
              inRequest = false;
            }
            ctx.fireChannelRead(message);
          }
        };

    private void stopClock() {
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }
  }
}
