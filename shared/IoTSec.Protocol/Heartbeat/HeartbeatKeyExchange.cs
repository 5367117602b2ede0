namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// The HTTP request by which a device fetches its heartbeat key (docs/protocols/heartbeat-key.md):
    /// <c>POST /.well-known/iotsec/v1/heartbeat-key</c> with an empty body, on the gateway's
    /// EST/OTA HTTPS port, authenticated by the device's operational client certificate; the
    /// answer is a <see cref="HeartbeatKeyResponse"/> as <c>application/cbor</c>.
    /// </summary>
    public static class HeartbeatKeyExchange
    {
        /// <summary>The request path, beside EST's <c>/.well-known/est</c> (RFC 7030 §3.2.2) on the same port.</summary>
        public const string Path = "/.well-known/iotsec/v1/heartbeat-key";

        /// <summary>The request method: POST, because the request has an effect (it can start a key epoch) and must not be cached.</summary>
        public const string Method = "POST";

        /// <summary>The response media type (RFC 8949 §9.5).</summary>
        public const string ContentType = "application/cbor";
    }
}
