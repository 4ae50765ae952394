package io.berth.console.proxy;

import io.berth.common.problem.Problem;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import org.jboss.logging.Logger;

/**
 * What the console changes in a forwarded call: the caller's address in {@code X-Forwarded-For} on
 * the way in (and no {@code Expect}, already answered), and, when the service cannot be reached, a 502 problem body in place of the proxy's empty one.
 */
final class ForwardingInterceptor implements ProxyInterceptor {
    private static final Logger LOG = Logger.getLogger(ForwardingInterceptor.class);
    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final String FAILURE = "berth.unreachable";

    private final String service;

    ForwardingInterceptor(String service) {
        this.service = service;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        ProxyRequest request = context.request();
        String caller = request.proxiedRequest().remoteAddress() == null ? null
                : request.proxiedRequest().remoteAddress().host();
        if (caller != null) {
            String before = request.headers().get(X_FORWARDED_FOR);
            request.headers().set(X_FORWARDED_FOR, before == null || before.isBlank() ? caller : before + ", " + caller);
        }
        // the console has answered it (ApiProxy): the body follows without waiting
        request.headers().remove(HttpHeaders.EXPECT);
        if (!request.headers().contains(X_FORWARDED_PROTO)) {
            request.headers().set(X_FORWARDED_PROTO, request.proxiedRequest().scheme());
        }
        return context.sendRequest().onFailure(failure -> context.set(FAILURE, failure));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        Throwable failure = context.get(FAILURE, Throwable.class);
        if (failure != null) {
            // the proxy made this response itself (status 502, no body): the caller gets a problem
            String path = context.request().proxiedRequest().path();
            LOG.warnf("%s %s: the %s service cannot be reached: %s", context.request().getMethod(), path, service,
                    failure.getMessage());
            Buffer body = Buffer.buffer(Json.encode(Problem.of(502, "Bad Gateway",
                    "the " + service + " service cannot be reached").at(path)));
            ProxyResponse response = context.response();
            response.setStatusCode(502);
            response.headers().clear();
            response.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            response.setBody(Body.body(body));
        }
        return context.sendResponse();
    }
}
