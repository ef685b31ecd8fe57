package io.chartpulse.collector.limits;

import io.chartpulse.config.ConfigChoice;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Finds the client's IP and reduces it to what may be stored. {@code X-Forwarded-For} is believed only when the
 * socket peer is a trusted proxy, and then read from the right, skipping trusted hops, so a client cannot forge its
 * address by sending the header itself. Thread-safe.
 */
public final class ClientAddress {

    /** What is kept of an IP: the collector's {@code ip.anonymization} choice. */
    public enum Mode implements ConfigChoice {
        TRUNCATE("truncate"),
        HASH("hash"),
        NONE("none");

        private final String value;

        Mode(String value) {
            this.value = value;
        }

        @Override
        public String configValue() {
            return value;
        }
    }

    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> trusted;
    private final Mode mode;
    private final byte[] salt;

    /**
     * @param trustedProxies addresses or CIDR ranges (e.g. {@code 10.0.0.0/8}, {@code ::1})
     * @throws IllegalArgumentException naming an entry that is not an address or range
     */
    public ClientAddress(List<String> trustedProxies, Mode mode, String salt) {
        this.trusted = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (!entry.isBlank()) {
                trusted.add(parseCidr(entry.trim()));
            }
        }
        this.mode = mode;
        this.salt = salt == null ? new byte[0] : salt.getBytes(StandardCharsets.UTF_8);
    }

    /** The client IP: the socket peer, or from X-Forwarded-For when the peer is a trusted proxy. */
    public String clientIp(String socketIp, String forwardedFor) {
        if (forwardedFor == null || trusted.isEmpty() || !isTrusted(socketIp)) {
            return socketIp;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !isTrusted(hop)) {
                return parse(hop) == null ? socketIp : hop;
            }
        }
        return socketIp;
    }

    /** The IP as it may be stored: truncated (IPv4 /24, IPv6 /48), salted hash, or unchanged; null stays null. */
    public String anonymize(String ip) {
        if (ip == null || mode == Mode.NONE) {
            return ip;
        }
        byte[] address = parse(ip);
        if (address == null) {
            return null;
        }
        if (mode == Mode.HASH) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                digest.update(salt);
                return HexFormat.of().formatHex(digest.digest(address), 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
        int keep = address.length == 4 ? 3 : 6;
        for (int i = keep; i < address.length; i++) {
            address[i] = 0;
        }
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private boolean isTrusted(String ip) {
        byte[] address = parse(ip);
        if (address == null) {
            return false;
        }
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static Cidr parseCidr(String entry) {
        int slash = entry.indexOf('/');
        byte[] network = parse(slash < 0 ? entry : entry.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("trusted.proxies: '" + entry + "' is not an IP address or CIDR range");
        }
        int bits = network.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("trusted.proxies: '" + entry + "' has an invalid prefix length");
            }
        }
        return new Cidr(network, bits);
    }

    /** Parses a literal IPv4 or IPv6 address without DNS; null when it is not one. */
    static byte[] parse(String ip) {
        if (ip == null || ip.isEmpty()) {
            return null;
        }
        String literal = ip.toLowerCase(Locale.ROOT);
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = literal.indexOf(':') >= 0 && literal.matches("[0-9a-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            byte[] address = InetAddress.getByName(literal).getAddress();
            if (address.length == 16 && isMappedV4(address)) {
                return Arrays.copyOfRange(address, 12, 16);
            }
            return address;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isMappedV4(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }
}
