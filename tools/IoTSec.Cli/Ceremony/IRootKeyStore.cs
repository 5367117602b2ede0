using System.Security.Cryptography;

namespace IoTSec.Cli.Ceremony;

/// <summary>
/// Where the offline root's private key lives. Today: an encrypted PKCS#8 file
/// (<see cref="EncryptedFileRootKeyStore"/>). This is the seam for a PKCS#11 token (an HSM or
/// a smart card) in a later issue: an implementation that generates the key on the token and
/// returns an <see cref="ECDsa"/> that signs there (for example through OpenSSL 3's pkcs11
/// provider and <c>SafeEvpPKeyHandle.OpenKeyFromProvider</c>, as the gateway does for its TPM).
/// Nothing else in the ceremony needs to change.
/// </summary>
internal interface IRootKeyStore
{
    /// <summary>For messages: where the key is.</summary>
    string Description { get; }

    /// <summary>True when a root key is already there.</summary>
    bool Exists { get; }

    /// <summary>Generates a new root key on <paramref name="curve"/> and stores it; returns it for signing the root certificate.</summary>
    ECDsa Create(ECCurve curve);

    /// <summary>Opens the root key for signing.</summary>
    /// <exception cref="CliError">The key is missing, or cannot be unlocked (wrong passphrase).</exception>
    ECDsa Open();
}
