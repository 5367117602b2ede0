using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Protocol.Tests.Crypto;

/// <summary>
/// A stand-in for a device layer's native digests, built on System.Security.Cryptography: proves
/// the provider seam works with a hash that is not the portable one, and lets tests count calls.
/// </summary>
internal sealed class DotNetDigests : IDigestProvider
{
    public int Sha256Created { get; private set; }

    public int HmacCalls { get; private set; }

    public IHashAlgorithm CreateSha256()
    {
        Sha256Created++;
        return new DotNetSha256();
    }

    public void ComputeHmacSha256(byte[] key, byte[] data, int offset, int count, byte[] output, int outputOffset)
    {
        HmacCalls++;
        HMACSHA256.HashData(key, data.AsSpan(offset, count), output.AsSpan(outputOffset, HmacSha256.MacLength));
    }
}

/// <summary>An <see cref="IHashAlgorithm"/> over .NET's IncrementalHash, with the same lifecycle rules.</summary>
internal sealed class DotNetSha256 : IHashAlgorithm
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _finalized;

    public bool Disposed { get; private set; }

    public int HashSize => 32;

    public int BlockSize => 64;

    public void Reset()
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Span<byte> discard = stackalloc byte[32];
        _hash.GetHashAndReset(discard);
        _finalized = false;
    }

    public void Update(byte[] data, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (_finalized)
        {
            throw new InvalidOperationException("call Reset first");
        }

        _hash.AppendData(data, offset, count);
    }

    public void Final(byte[] output, int outputOffset)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (_finalized)
        {
            throw new InvalidOperationException("call Reset first");
        }

        _hash.GetHashAndReset(output.AsSpan(outputOffset, 32));
        _finalized = true;
    }

    public void Dispose()
    {
        _hash.Dispose();
        Disposed = true;
    }
}

/// <summary>A hash with the wrong sizes, to check HMAC refuses it.</summary>
internal sealed class WrongSizeHash : IHashAlgorithm
{
    public int HashSize => 20;

    public int BlockSize => 64;

    public void Reset()
    {
    }

    public void Update(byte[] data, int offset, int count)
    {
    }

    public void Final(byte[] output, int outputOffset)
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>Helpers shared by the crypto tests.</summary>
internal static class CryptoTestData
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Feeds <paramref name="data"/> to <paramref name="update"/> in random-sized pieces (including empty ones).</summary>
    public static void FeedInRandomPieces(Random random, byte[] data, Action<byte[], int, int> update)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            // Mostly small pieces so block boundaries are crossed in every way, sometimes large ones.
            int max = random.Next(4) == 0 ? 300 : 70;
            int piece = Math.Min(random.Next(max + 1), data.Length - offset);
            update(data, offset, piece);
            offset += piece;
        }

        update(data, data.Length, 0);
    }

    /// <summary>True when every array field (byte[] or uint[]) of <paramref name="instance"/> holds only zeros.</summary>
    public static bool AllArrayFieldsAreZero(object instance)
    {
        foreach (var field in instance.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic))
        {
            if (field.GetValue(instance) is Array array)
            {
                foreach (var item in array)
                {
                    if (Convert.ToUInt64(item, System.Globalization.CultureInfo.InvariantCulture) != 0)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }
}
