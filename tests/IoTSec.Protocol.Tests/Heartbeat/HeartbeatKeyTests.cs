using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Tests.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Heartbeat.HeartbeatVectors;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Heartbeat;

[TestClass]
public sealed class HeartbeatKeyTests
{
    [TestMethod]
    public void Derive_MatchesTheFrozenVector()
    {
        CollectionAssert.AreEqual(Hex(HkdfInfo), HeartbeatKeyDerivation.BuildInfo(DeviceId));
        CollectionAssert.AreEqual("IoTSec heartbeat key v1\0esp32-0a1b2c"u8.ToArray(), HeartbeatKeyDerivation.BuildInfo(DeviceId));
        CollectionAssert.AreEqual(Hex(DerivedKey), HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, CertificateSerial));
        CollectionAssert.AreEqual(Hex(DerivedKey), HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, CertificateSerial, new DotNetDigests()));
        CollectionAssert.AreEqual(Hex(KeyId), HeartbeatKeyDerivation.ComputeKeyId(Hex(DerivedKey)));
    }

    [TestMethod]
    public void Derive_EqualsDotNetHkdf()
    {
        var random = new Random(5869);
        const string idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
        for (int i = 0; i < 200; i++)
        {
            byte[] secret = RandomNumberGenerator.GetBytes(32);
            var id = new char[random.Next(1, 65)];
            for (int c = 0; c < id.Length; c++)
            {
                id[c] = idChars[random.Next(c == 0 ? 62 : idChars.Length)];
            }

            string deviceId = new(id);
            byte[] serial = RandomNumberGenerator.GetBytes(random.Next(1, 21));
            serial[0] = (byte)random.Next(1, 0x80);

            byte[] info = [.. "IoTSec heartbeat key v1"u8, 0x00, .. System.Text.Encoding.UTF8.GetBytes(deviceId)];
            byte[] expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, serial, info);
            CollectionAssert.AreEqual(expected, HeartbeatKeyDerivation.Derive(secret, deviceId, serial), "case " + i);
        }
    }

    [TestMethod]
    public void Derive_EachInputChangesTheKey()
    {
        byte[] key = HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, CertificateSerial);
        byte[] otherSecret = (byte[])GatewaySecret.Clone();
        otherSecret[0] ^= 1;
        byte[] renewedSerial = (byte[])CertificateSerial.Clone();
        renewedSerial[^1] ^= 1;
        CollectionAssert.AreNotEqual(key, HeartbeatKeyDerivation.Derive(otherSecret, DeviceId, CertificateSerial), "gateway secret rotated");
        CollectionAssert.AreNotEqual(key, HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, renewedSerial), "renewal: a new serial is a new key epoch");
        CollectionAssert.AreNotEqual(key, HeartbeatKeyDerivation.Derive(GatewaySecret, "esp32-0a1b2d", CertificateSerial), "another device");
        CollectionAssert.AreEqual(key, HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, CertificateSerial), "deterministic: a repeated fetch gives the same key");
    }

    // The serial is the certificate's DER INTEGER content, big-endian, as X509Certificate.SerialNumberBytes
    // gives it. GetSerialNumber() is little-endian: the check refuses it whenever its first
    // byte (the least significant) looks negative or like padding, as for this serial.
    [TestMethod]
    public void Derive_TakesTheSerialAsTheCertificateCarriesIt()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + DeviceId, ecdsa, HashAlgorithmName.SHA256);
        byte[] serial = Hex("00c3" + "0102030405060708090a0b0c0d8e");
        using var cert = request.Create(new X500DistinguishedName("CN=issuer"), X509SignatureGenerator.CreateForECDsa(ecdsa),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), serial);

        byte[] asCarried = cert.SerialNumberBytes.ToArray();
        CollectionAssert.AreEqual(serial, asCarried);
        HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, asCarried);
        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, cert.GetSerialNumber()));
    }

    [TestMethod]
    [DataRow("", DisplayName = "empty")]
    [DataRow("80", DisplayName = "negative")]
    [DataRow("ff01", DisplayName = "negative, two bytes")]
    [DataRow("0001", DisplayName = "superfluous leading zero")]
    [DataRow("00", DisplayName = "zero")]
    [DataRow("01000000000000000000000000000000000000000000", DisplayName = "21 bytes")]
    public void Derive_RefusesSerialsThatAreNotAPositiveMinimalDerInteger(string serialHex)
    {
        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, Hex(serialHex)));
    }

    [TestMethod]
    [DataRow("01", DisplayName = "one")]
    [DataRow("0080", DisplayName = "128 with its sign byte")]
    [DataRow("7fffffffffffffffffffffffffffffffffffffff", DisplayName = "20 bytes")]
    public void Derive_AcceptsValidSerials(string serialHex)
    {
        Assert.HasCount(32, HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, Hex(serialHex)));
    }

    [TestMethod]
    public void Derive_RefusesBadArguments()
    {
        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatKeyDerivation.Derive(new byte[31], DeviceId, CertificateSerial));
        Assert.ThrowsExactly<ArgumentNullException>(() => HeartbeatKeyDerivation.Derive(null!, DeviceId, CertificateSerial));
        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatKeyDerivation.Derive(GatewaySecret, "a/b", CertificateSerial));
        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatKeyDerivation.Derive(GatewaySecret, string.Empty, CertificateSerial));
        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => HeartbeatKeyDerivation.Derive(GatewaySecret, DeviceId, CertificateSerial, null!));
    }

    [TestMethod]
    public void Response_KnownGoodBytes_ReadBySystemFormatsCbor()
    {
        var response = new HeartbeatKeyResponse(Hex(DerivedKey), CertificateSerial, NotAfter);
        byte[] encoded = response.Encode();
        CollectionAssert.AreEqual(Hex(KeyResponse), encoded);

        var reader = new Sfc.CborReader(encoded, Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(4, reader.ReadStartMap());
        Assert.AreEqual(1UL, reader.ReadUInt64());
        CollectionAssert.AreEqual(Hex(DerivedKey), reader.ReadByteString());
        Assert.AreEqual(2UL, reader.ReadUInt64());
        CollectionAssert.AreEqual(SHA256.HashData(Hex(DerivedKey))[..8], reader.ReadByteString());
        Assert.AreEqual(3UL, reader.ReadUInt64());
        CollectionAssert.AreEqual(CertificateSerial, reader.ReadByteString());
        Assert.AreEqual(4UL, reader.ReadUInt64());
        Assert.AreEqual(NotAfter, reader.ReadUInt64());
        reader.ReadEndMap();

        var decoded = HeartbeatKeyResponse.Decode(encoded, CertificateSerial);
        CollectionAssert.AreEqual(Hex(DerivedKey), decoded.GetKey());
        CollectionAssert.AreEqual(Hex(KeyId), decoded.GetKeyId());
        CollectionAssert.AreEqual(CertificateSerial, decoded.GetCertificateSerial());
        Assert.AreEqual(NotAfter, decoded.NotAfterUnixSeconds);
        Assert.AreEqual(NotAfter, (ulong)new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
    }

    [TestMethod]
    public void Response_LargestFitsTheLimit()
    {
        var response = new HeartbeatKeyResponse(Filled(9, 32), Hex("7f" + new string('f', 38)), ulong.MaxValue);
        byte[] encoded = response.Encode();
        Assert.AreEqual(78, encoded.Length);
        Assert.IsLessThan(HeartbeatKeyResponse.MaxEncodedLength, encoded.Length);
        Assert.AreEqual(ulong.MaxValue, HeartbeatKeyResponse.Decode(encoded).NotAfterUnixSeconds);
    }

    [TestMethod]
    [DataRow("", HeartbeatKeyRejection.Malformed, DisplayName = "empty")]
    [DataRow("80", HeartbeatKeyRejection.Malformed, DisplayName = "an array")]
    [DataRow("a0", HeartbeatKeyRejection.FieldMissing, DisplayName = "empty map")]
    [DataRow("a3015820d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e750248b80127d4c8b0637303503a7f19c2d4e5f60718293a4b5c6d7e8f", HeartbeatKeyRejection.FieldMissing, DisplayName = "no not-after")]
    [DataRow("a5015820d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e750248b80127d4c8b0637303503a7f19c2d4e5f60718293a4b5c6d7e8f041a6b36ec800500", HeartbeatKeyRejection.UnknownField, DisplayName = "key 5")]
    [DataRow("a401581fd21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e0248b80127d4c8b0637303503a7f19c2d4e5f60718293a4b5c6d7e8f041a6b36ec80", HeartbeatKeyRejection.FieldInvalid, DisplayName = "key of 31 bytes")]
    [DataRow("a40158200000000000000000000000000000000000000000000000000000000000000000024866687aadf862bd7703503a7f19c2d4e5f60718293a4b5c6d7e8f041a6b36ec80", HeartbeatKeyRejection.FieldInvalid, DisplayName = "all-zero key")]
    [DataRow("a4015820d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e750248b80127d4c8b0637303508a7f19c2d4e5f60718293a4b5c6d7e8f041a6b36ec80", HeartbeatKeyRejection.FieldInvalid, DisplayName = "negative serial")]
    [DataRow("a4015820d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e750248b80127d4c8b0637303503a7f19c2d4e5f60718293a4b5c6d7e8f043a6b36ec80", HeartbeatKeyRejection.FieldInvalid, DisplayName = "negative not-after")]
    [DataRow("a4015820d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e750248b80127d4c8b0637403503a7f19c2d4e5f60718293a4b5c6d7e8f041a6b36ec80", HeartbeatKeyRejection.KeyIdMismatch, DisplayName = "key id off by one bit")]
    [DataRow("a4015820d21c3285a25bbc5c75121dc5b0ef96bbfa48e76ef1118e121d7fcc49bf638e750248b80127d4c8b0637303503a7f19c2d4e5f60718293a4b5c6d7e8f041a6b36ec8000", HeartbeatKeyRejection.Malformed, DisplayName = "trailing byte")]
    public void Response_Malformed_IsRefusedWithItsReason(string hex, HeartbeatKeyRejection expected)
    {
        var e = Assert.ThrowsExactly<HeartbeatKeyRejectedException>(() => HeartbeatKeyResponse.Decode(Hex(hex)));
        Assert.AreEqual(expected, e.Reason, e.Message);
    }

    [TestMethod]
    public void Response_ForAnotherSerial_OrTooLarge_IsRefused()
    {
        byte[] otherSerial = (byte[])CertificateSerial.Clone();
        otherSerial[^1] ^= 1;
        Assert.AreEqual(HeartbeatKeyRejection.SerialMismatch, Assert.ThrowsExactly<HeartbeatKeyRejectedException>(() => HeartbeatKeyResponse.Decode(Hex(KeyResponse), otherSerial)).Reason);
        Assert.AreEqual(HeartbeatKeyRejection.TooLarge, Assert.ThrowsExactly<HeartbeatKeyRejectedException>(() => HeartbeatKeyResponse.Decode(new byte[129])).Reason);
        Assert.ThrowsExactly<ArgumentNullException>(() => HeartbeatKeyResponse.Decode(null!));
        Assert.ThrowsExactly<ArgumentException>(() => new HeartbeatKeyResponse(new byte[32], CertificateSerial, 0));
        Assert.ThrowsExactly<ArgumentException>(() => new HeartbeatKeyResponse(Filled(1, 32), Hex("80"), 0));
    }

    [TestMethod]
    public void Response_EveryFlippedBit_IsRefusedOrChangesTheSerialOrDate()
    {
        byte[] good = Hex(KeyResponse);
        for (int bit = 0; bit < good.Length * 8; bit++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                var decoded = HeartbeatKeyResponse.Decode(bad, CertificateSerial);

                // Only the not-after may change undetected: the key is checked by its id and
                // the serial against the device's own.
                CollectionAssert.AreEqual(Hex(DerivedKey), decoded.GetKey(), "bit " + bit);
                Assert.AreNotEqual(NotAfter, decoded.NotAfterUnixSeconds, "bit " + bit);
            }
            catch (HeartbeatKeyRejectedException)
            {
            }
        }
    }

    [TestMethod]
    public void Exchange_Constants()
    {
        Assert.AreEqual("/.well-known/iotsec/v1/heartbeat-key", HeartbeatKeyExchange.Path);
        Assert.AreEqual("POST", HeartbeatKeyExchange.Method);
        Assert.AreEqual("application/cbor", HeartbeatKeyExchange.ContentType);
    }
}
