namespace IoTSec.Protocol.Cose
{
    /// <summary>Why a COSE_Sign1 message was refused. Each value names one cause, for logs, metrics and the device's heartbeat.</summary>
    public enum CoseRejection
    {
        /// <summary>Not a well-formed tagged COSE_Sign1 of this profile: bad CBOR, no tag 18, wrong array shape, detached payload, malformed or duplicated header parameters, trailing bytes.</summary>
        Malformed = 1,

        /// <summary>The protected header has no alg (an alg in the unprotected header does not count: it would not be signed).</summary>
        MissingAlgorithm = 2,

        /// <summary>The alg is not PS256 (-37).</summary>
        UnsupportedAlgorithm = 3,

        /// <summary>The protected header carries crit: this profile understands no extension parameter, and RFC 9052 §3.1 requires refusing what is critical and not understood.</summary>
        UnsupportedCriticalHeader = 4,

        /// <summary>No kid in either header: the verifier will not guess the key.</summary>
        MissingKeyId = 5,

        /// <summary>The kid names no trusted key.</summary>
        UnknownKey = 6,

        /// <summary>The signature does not verify under the key the kid names.</summary>
        BadSignature = 7,

        /// <summary>The protected content type is missing or is not the one the caller expects (a manifest presented as a trust-anchor update, or the reverse).</summary>
        WrongContentType = 8,
    }
}
