namespace IoTSec.Protocol.Manifest
{
    /// <summary>Why a trust-anchor update was refused. Each value names one cause; the numbers are stable (they travel in heartbeats and command acknowledgements).</summary>
    public enum AnchorUpdateRejection
    {
        /// <summary>The envelope or the payload is not well-formed (bad CBOR, not a tagged COSE_Sign1, missing, unknown or ill-typed fields, a non-deterministic payload, an envelope over <see cref="TrustAnchorUpdateVerifier.MaxEnvelopeLength"/>).</summary>
        Malformed = 1,

        /// <summary>The protected header has no alg.</summary>
        MissingAlgorithm = 2,

        /// <summary>The alg is not PS256.</summary>
        UnsupportedAlgorithm = 3,

        /// <summary>The protected header lists critical parameters.</summary>
        UnsupportedCriticalHeader = 4,

        /// <summary>No kid names the signing key.</summary>
        MissingKeyId = 5,

        /// <summary>The kid names none of the current OTA keys: only the current OTA key may rotate anchors.</summary>
        UnknownKey = 6,

        /// <summary>The signature does not verify.</summary>
        BadSignature = 7,

        /// <summary>The protected content type is not application/iotsec-anchor-update+cbor (for example a manifest presented as an anchor update).</summary>
        WrongContentType = 8,

        /// <summary>The update sequence is not greater than the device's anchor-update counter: a replay.</summary>
        SequenceTooOld = 9,

        /// <summary>The update has an expiry and the device has no trusted time to check it against. Transient.</summary>
        NoTrustedTime = 10,

        /// <summary>The update's expiry is not after the device's trusted time.</summary>
        Expired = 11,

        /// <summary>An anchor kind this device does not know.</summary>
        UnsupportedAnchorKind = 12,

        /// <summary>The new anchor itself is refused: a COSE_Key that is not an acceptable PS256 key (size, exponent, encoding) or whose kid disagrees, or a certificate that is not one DER SEQUENCE.</summary>
        InvalidAnchor = 13,
    }
}
