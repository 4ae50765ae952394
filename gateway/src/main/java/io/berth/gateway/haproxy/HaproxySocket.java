package io.berth.gateway.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One command over one of HAProxy's UNIX sockets (admin or master CLI): write it, read the answer to EOF. */
final class HaproxySocket {
    private HaproxySocket() {
    }

    static String roundTrip(Path socket, String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            // bytes first, decoded once: a multi-byte character may straddle two reads
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
