using System;
using IoTSec.Protocol.Rsa;

namespace IoTSec.Protocol.Cose
{
    /// <summary>A public key the verifier trusts, with the kid that names it in COSE headers.</summary>
    public sealed class CoseTrustedKey
    {
        private readonly byte[] _keyId;

        /// <summary>Pairs a kid with a PS256 key.</summary>
        /// <param name="keyId">The kid, 1 to <see cref="RsaCoseKey.MaxKeyIdLength"/> bytes; copied.</param>
        /// <param name="key">The public key.</param>
        public CoseTrustedKey(byte[] keyId, RsaPublicKey key)
        {
            if (keyId == null)
            {
                throw new ArgumentNullException(nameof(keyId));
            }

            if (keyId.Length == 0 || keyId.Length > RsaCoseKey.MaxKeyIdLength)
            {
                throw new ArgumentException("a kid has 1 to " + RsaCoseKey.MaxKeyIdLength.ToString() + " bytes", nameof(keyId));
            }

            if (key == null)
            {
                throw new ArgumentNullException(nameof(key));
            }

            _keyId = new byte[keyId.Length];
            Array.Copy(keyId, _keyId, keyId.Length);
            Key = key;
        }

        /// <summary>The public key.</summary>
        public RsaPublicKey Key { get; }

        /// <summary>The kid (a copy).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetKeyId()
        {
            byte[] copy = new byte[_keyId.Length];
            Array.Copy(_keyId, copy, _keyId.Length);
            return copy;
        }

        /// <summary>True when this key's kid equals <paramref name="keyId"/>.</summary>
        /// <param name="keyId">A kid.</param>
        /// <returns>True on a match.</returns>
        public bool HasKeyId(byte[] keyId)
        {
            if (keyId == null || keyId.Length != _keyId.Length)
            {
                return false;
            }

            for (int i = 0; i < keyId.Length; i++)
            {
                if (keyId[i] != _keyId[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
