namespace IoTSec.Firmware.Enrolment
{
    /// <summary>The gateway's EST resources the device uses (docs/protocols/est.md; RFC 7030 §3.2.2).</summary>
    public static class EstPaths
    {
        /// <summary>serverkeygen: the gateway makes the key pair and returns it with the certificate (RFC 7030 §4.4).</summary>
        public const string ServerKeyGen = "/.well-known/est/serverkeygen";

        /// <summary>cacerts: the offline root and the gateway intermediate.</summary>
        public const string CaCerts = "/.well-known/est/cacerts";

        /// <summary>The private key part's media type in a serverkeygen response.</summary>
        public const string Pkcs8MediaType = "application/pkcs8";

        /// <summary>The certificate part's media type (certs-only CMS).</summary>
        public const string Pkcs7MediaType = "application/pkcs7-mime";
    }
}
