using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IoTSec.Gateway.Core.Keys;

/// <summary>
/// The software backend's <see cref="ISecretSealer"/>: AES-256-GCM under a random 32-byte key
/// file (0600) next to the keys, with a tamper latch file standing in for the TPM's PCR 23.
/// It protects a secret against a copy of the sealed blob alone and against a blob that was
/// altered or moved to another name; it does not protect against anyone who can read the key
/// directory (the key file sits beside the blobs). That is why it is for development only.
/// </summary>
/// <remarks>
/// Blob format, version 1 (file <c>sealed/&lt;name&gt;.sealed</c>, mode 0600):
/// <code>
/// offset  size  field
///      0     1  version = 0x01
///      1    12  nonce (random per seal)
///     13    16  GCM tag
///     29     n  ciphertext (n = secret length)
/// </code>
/// Associated data: ASCII <c>"iotsec-sealed-secret-v1"</c>, one 0x00 byte, then the UTF-8
/// name — so a blob renamed to another secret's name does not unseal.
/// </remarks>
public sealed class SoftwareSecretSealer : ISecretSealer
{
    /// <summary>Blob format version written by this class.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Largest secret accepted; sealed secrets are keys, not data.</summary>
    public const int MaxSecretLength = 4096;

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + NonceLength + TagLength;
    private const int KeyLength = 32;
    private static readonly byte[] AssociatedDataPrefix = Encoding.ASCII.GetBytes("iotsec-sealed-secret-v1\0");

    private readonly string _keyPath;
    private readonly string _sealedDirectory;
    private readonly string _latchPath;
    private readonly object _keyCreation = new();

    /// <summary>Uses <paramref name="keyDirectory"/> (already private, see <see cref="SoftwareKeyStore"/>).</summary>
    public SoftwareSecretSealer(string keyDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyDirectory);
        SoftwareKeyFile.EnsurePrivateDirectory(keyDirectory);
        _keyPath = Path.Combine(keyDirectory, "sealer.key");
        _sealedDirectory = Path.Combine(keyDirectory, "sealed");
        _latchPath = Path.Combine(keyDirectory, "tamper-latch");
    }

    /// <summary>True while the tamper latch is set (after <see cref="MarkTampered"/>, before <see cref="Rearm"/>).</summary>
    public bool IsTampered => File.Exists(_latchPath);

    /// <inheritdoc />
    public bool Exists(string name) => File.Exists(BlobPath(name));

    /// <inheritdoc />
    public void Seal(string name, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var path = BlobPath(name);
        if (secret.Length > MaxSecretLength)
        {
            throw new ArgumentException($"a sealed secret is at most {MaxSecretLength} bytes", nameof(secret));
        }

        var key = LoadOrCreateKey();
        var blob = new byte[HeaderLength + secret.Length];
        try
        {
            blob[0] = FormatVersion;
            var nonce = blob.AsSpan(1, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(key, TagLength);
            aes.Encrypt(nonce, secret, blob.AsSpan(HeaderLength), blob.AsSpan(1 + NonceLength, TagLength), AssociatedData(name));
            SoftwareKeyFile.EnsurePrivateDirectory(_sealedDirectory);
            SoftwareKeyFile.WritePrivate(path, blob, replace: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc />
    public byte[] Unseal(string name)
    {
        var path = BlobPath(name);
        if (IsTampered)
        {
            // Same answer as a TPM whose PCR 23 was extended: the policy is not met.
            throw new SecretSealedException(
                $"the gateway is marked tampered (since {ReadLatchTime()}); secret '{name}' stays sealed until an operator re-arms it");
        }

        if (!File.Exists(path))
        {
            throw new GatewayKeyStoreException($"no sealed secret named '{name}'");
        }

        if (!File.Exists(_keyPath))
        {
            throw new SecretSealedException($"the sealing key '{_keyPath}' is missing; secret '{name}' cannot be unsealed");
        }

        var blob = SoftwareKeyFile.ReadPrivate(path);
        if (blob.Length < HeaderLength || blob[0] != FormatVersion)
        {
            throw new SecretSealedException($"sealed secret '{name}' is damaged (bad length or unknown format version)");
        }

        var key = SoftwareKeyFile.ReadPrivate(_keyPath);
        var secret = new byte[blob.Length - HeaderLength];
        try
        {
            if (key.Length != KeyLength)
            {
                throw new SecretSealedException($"the sealing key '{_keyPath}' is damaged");
            }

            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(blob.AsSpan(1, NonceLength), blob.AsSpan(HeaderLength), blob.AsSpan(1 + NonceLength, TagLength), secret, AssociatedData(name));
            return secret;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(secret);
            throw new SecretSealedException($"sealed secret '{name}' is damaged or was sealed under another key or name", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc />
    public void MarkTampered()
    {
        var stamp = Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + "\n");

        // Never replace an existing latch: the first tamper time is the one that matters.
        if (!IsTampered)
        {
            try
            {
                SoftwareKeyFile.WritePrivate(_latchPath, stamp);
            }
            catch (GatewayKeyStoreException) when (IsTampered)
            {
                // Another caller latched first: the gateway is tampered either way.
            }
        }
    }

    /// <inheritdoc />
    public void Rearm() => File.Delete(_latchPath);

    /// <summary>Checks a secret's name: 1–64 of [A-Za-z0-9._-], not starting with a dot (it becomes a file name).</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name[0] == '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private string BlobPath(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("a sealed secret's name is 1-64 characters of [A-Za-z0-9._-], not starting with '.'", nameof(name));
        }

        return Path.Combine(_sealedDirectory, name + ".sealed");
    }

    private static byte[] AssociatedData(string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var data = new byte[AssociatedDataPrefix.Length + nameBytes.Length];
        AssociatedDataPrefix.CopyTo(data, 0);
        nameBytes.CopyTo(data, AssociatedDataPrefix.Length);
        return data;
    }

    private byte[] LoadOrCreateKey()
    {
        lock (_keyCreation)
        {
            if (!File.Exists(_keyPath))
            {
                var fresh = RandomNumberGenerator.GetBytes(KeyLength);
                try
                {
                    SoftwareKeyFile.WritePrivate(_keyPath, fresh);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(fresh);
                }
            }

            var key = SoftwareKeyFile.ReadPrivate(_keyPath);
            if (key.Length != KeyLength)
            {
                CryptographicOperations.ZeroMemory(key);
                throw new GatewayKeyStoreException($"the sealing key '{_keyPath}' is damaged (expected {KeyLength} bytes)");
            }

            return key;
        }
    }

    private string ReadLatchTime()
    {
        try
        {
            return File.ReadAllText(_latchPath).Trim();
        }
        catch (IOException)
        {
            return "an unknown time";
        }
    }
}
