namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// Why an OTA manifest (or the image it describes) was refused. Each value names one
    /// cause; the numbers are stable because they travel in the device's heartbeat as its
    /// last refusal reason.
    /// </summary>
    public enum ManifestRejection
    {
        /// <summary>The envelope or the payload is not well-formed: bad CBOR, not a tagged COSE_Sign1, a missing, unknown or ill-typed field, a bad semver string, a non-deterministic payload encoding, an envelope over <see cref="ManifestVerifier.MaxEnvelopeLength"/>.</summary>
        Malformed = 1,

        /// <summary>The protected header has no alg.</summary>
        MissingAlgorithm = 2,

        /// <summary>The alg is not PS256.</summary>
        UnsupportedAlgorithm = 3,

        /// <summary>The protected header lists critical parameters (none are defined by this profile).</summary>
        UnsupportedCriticalHeader = 4,

        /// <summary>No kid names the signing key.</summary>
        MissingKeyId = 5,

        /// <summary>The kid names no trusted OTA key.</summary>
        UnknownKey = 6,

        /// <summary>The signature does not verify.</summary>
        BadSignature = 7,

        /// <summary>The protected content type is not application/iotsec-manifest+cbor (for example a trust-anchor update presented as a manifest).</summary>
        WrongContentType = 8,

        /// <summary>The manifest version is not 1.</summary>
        UnsupportedManifestVersion = 9,

        /// <summary>The vendor id is not the device's.</summary>
        WrongVendor = 10,

        /// <summary>The class id is not the device's.</summary>
        WrongClass = 11,

        /// <summary>The sequence number is not greater than the device's security counter: a replay or a rollback.</summary>
        SequenceTooOld = 12,

        /// <summary>The device has no trusted time yet (no heartbeat acknowledgement from the gateway since boot), so expiry cannot be checked. Transient: retry after the next acknowledgement.</summary>
        NoTrustedTime = 13,

        /// <summary>The manifest's expiry is not after the device's trusted time.</summary>
        Expired = 14,

        /// <summary>The running firmware is older than the manifest's minimum running version.</summary>
        RunningVersionTooOld = 15,

        /// <summary>A component id the device cannot install (the native image, which nanoFramework cannot update in the field yet, or an unknown id).</summary>
        UnsupportedComponent = 16,

        /// <summary>A component is larger than the device's slot for it.</summary>
        TooLarge = 17,

        /// <summary>A component digest uses an algorithm other than SHA-256 (COSE -16).</summary>
        UnsupportedDigestAlgorithm = 18,

        /// <summary>The image received is longer or shorter than the component size the manifest signs.</summary>
        SizeMismatch = 19,

        /// <summary>The SHA-256 of the image received differs from the component digest.</summary>
        DigestMismatch = 20,
    }
}
