namespace IoTSec.Firmware.Enrolment
{
    /// <summary>Why an enrolment step failed; the reason goes to the log and the next heartbeat.</summary>
    public enum EnrolmentFailure
    {
        /// <summary>No connection: unreachable, timed out, or the TLS handshake failed — including a gateway whose certificate does not chain to the provisioned root (transient: retried with backoff).</summary>
        GatewayUnreachable = 1,

        /// <summary>The gateway is busy (409, 429, 503): retried after its Retry-After plus jitter (transient).</summary>
        Busy = 2,

        /// <summary>Another server error (5xx other than 503) (transient).</summary>
        ServerError = 3,

        /// <summary>The response broke HTTP, base64, multipart or DER rules (transient: a proxy or a glitch, retried).</summary>
        ResponseMalformed = 4,

        /// <summary>The gateway refused the certificate the device presented (401, 403): a renewal then falls back to the birth certificate (fatal for that certificate).</summary>
        Refused = 5,

        /// <summary>The gateway does not know this device (404) (fatal: the device was never imported there).</summary>
        UnknownDevice = 6,

        /// <summary>The gateway called the request itself bad (400, 405, 411, 413, 415): a device bug (fatal).</summary>
        RequestRejected = 7,

        /// <summary>The issued certificate is not this device's, or the key does not belong to it (fatal: never installed).</summary>
        CertificateMismatch = 8,

        /// <summary>The heartbeat key response was refused by HeartbeatKeyResponse.Decode (fatal for this epoch).</summary>
        HeartbeatKeyRejected = 9,

        /// <summary>The provisioned trust anchors hold no gateway root (fatal: the device cannot authenticate any gateway).</summary>
        NoGatewayTrustAnchor = 10,
    }
}
