using System;

namespace IoTSec.Firmware.Enrolment
{
    /// <summary>An enrolment, renewal or heartbeat-key fetch failed; <see cref="Reason"/> says why and whether to retry.</summary>
    public sealed class EnrolmentException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why.</param>
        /// <param name="statusCode">The HTTP status, or 0 when there was no response.</param>
        /// <param name="codeWord">The gateway's code word (est.md, "Status codes"), or empty.</param>
        /// <param name="retryAfterSeconds">The gateway's Retry-After in seconds, or -1.</param>
        /// <param name="message">What failed; never a key or certificate content.</param>
        /// <param name="innerException">The underlying error, or null.</param>
        public EnrolmentException(EnrolmentFailure reason, int statusCode, string codeWord, int retryAfterSeconds, string message, Exception innerException)
            : base(ReasonName(reason) + ": " + message, innerException)
        {
            Reason = reason;
            StatusCode = statusCode;
            CodeWord = codeWord == null ? string.Empty : codeWord;
            RetryAfterSeconds = retryAfterSeconds;
        }

        /// <summary>Why it failed.</summary>
        public EnrolmentFailure Reason { get; private set; }

        /// <summary>The HTTP status, or 0.</summary>
        public int StatusCode { get; private set; }

        /// <summary>The gateway's code word, e.g. "certificate-superseded", or empty.</summary>
        public string CodeWord { get; private set; }

        /// <summary>Seconds the gateway asked the device to wait, or -1.</summary>
        public int RetryAfterSeconds { get; private set; }

        /// <summary>Whether trying the same step again later can succeed.</summary>
        public bool IsTransient
        {
            get
            {
                return Reason == EnrolmentFailure.GatewayUnreachable || Reason == EnrolmentFailure.Busy
                    || Reason == EnrolmentFailure.ServerError || Reason == EnrolmentFailure.ResponseMalformed;
            }
        }

        /// <summary>A stable name for logs and heartbeats.</summary>
        /// <param name="reason">The reason.</param>
        /// <returns>Its name.</returns>
        public static string ReasonName(EnrolmentFailure reason)
        {
            switch (reason)
            {
                case EnrolmentFailure.GatewayUnreachable: return "gateway-unreachable";
                case EnrolmentFailure.Busy: return "busy";
                case EnrolmentFailure.ServerError: return "server-error";
                case EnrolmentFailure.ResponseMalformed: return "response-malformed";
                case EnrolmentFailure.Refused: return "refused";
                case EnrolmentFailure.UnknownDevice: return "unknown-device";
                case EnrolmentFailure.RequestRejected: return "request-rejected";
                case EnrolmentFailure.CertificateMismatch: return "certificate-mismatch";
                case EnrolmentFailure.HeartbeatKeyRejected: return "heartbeat-key-rejected";
                case EnrolmentFailure.NoGatewayTrustAnchor: return "no-gateway-trust-anchor";
                default: return "unknown";
            }
        }

        internal static EnrolmentException Malformed(string message, Exception inner)
        {
            return new EnrolmentException(EnrolmentFailure.ResponseMalformed, 0, string.Empty, -1, message, inner);
        }

        internal static EnrolmentException Mismatch(string message)
        {
            return new EnrolmentException(EnrolmentFailure.CertificateMismatch, 0, string.Empty, -1, message, null);
        }
    }
}
