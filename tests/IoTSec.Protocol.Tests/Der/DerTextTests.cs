using System;
using System.Linq;
using System.Text;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>Character strings of X.509 names, decoded without System.Text (which nanoFramework lacks).</summary>
[TestClass]
public sealed class DerTextTests
{
    [TestMethod]
    [DataRow("0C", "device-0001")]
    [DataRow("13", "device 0001")]
    [DataRow("16", "device@example.com")]
    [DataRow("1A", "visible")]
    [DataRow("12", "0123 456")]
    public void AsciiStrings_AreRead(string tag, string text)
    {
        var bytes = DerBytes.Ascii(Convert.FromHexString(tag)[0], text);

        Assert.AreEqual(text, new DerReader(bytes).ReadCharacterString());
    }

    [TestMethod]
    [DataRow("é")]
    [DataRow("Gerät 設備")]
    [DataRow("🔐𝄞")]
    [DataRow("\u0080\u07FF\u0800\uFFFD\U00010000\U0010FFFF")]
    public void Utf8_BmpAndUniversalStrings_AreRead(string text)
    {
        Assert.AreEqual(text, new DerReader(DerBytes.Tlv(0x0C, Encoding.UTF8.GetBytes(text))).ReadCharacterString());
        Assert.AreEqual(text, new DerReader(DerBytes.Tlv(0x1C, new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetBytes(text))).ReadCharacterString());
        // BMPString is UCS-2: only texts within the Basic Multilingual Plane have a BMP form.
        if (!text.Any(char.IsSurrogate))
        {
            Assert.AreEqual(text, new DerReader(DerBytes.Tlv(0x1E, Encoding.BigEndianUnicode.GetBytes(text))).ReadCharacterString());
        }
    }

    [TestMethod]
    public void TeletexString_IsReadAsLatin1()
    {
        Assert.AreEqual("Gr\u00FC\u00DFe", new DerReader(DerBytes.Hex("1405 4772FCDF65")).ReadCharacterString());
    }

    [TestMethod]
    [DataRow("0C01 80")] // lone continuation byte
    [DataRow("0C01 C3")] // cut short
    [DataRow("0C02 C0AF")] // overlong '/'
    [DataRow("0C03 E080AF")] // overlong
    [DataRow("0C04 F08082AF")] // overlong
    [DataRow("0C03 EDA080")] // UTF-16 surrogate D800
    [DataRow("0C04 F4908080")] // U+110000
    [DataRow("0C01 FF")]
    [DataRow("0C02 C328")] // bad continuation
    [DataRow("1301 80")] // non-ASCII in PrintableString
    [DataRow("1601 FF")] // non-ASCII in IA5String
    [DataRow("1E01 00")] // odd-length BMPString
    [DataRow("1E02 D800")] // surrogate in a BMPString
    [DataRow("1C03 000041")] // UniversalString not a multiple of 4
    [DataRow("1C04 00110000")] // beyond U+10FFFF
    [DataRow("1C04 0000DC00")] // surrogate
    [DataRow("1C04 01000041")]
    public void MalformedText_IsInvalidString(string hex)
    {
        var e = Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex(hex)).ReadCharacterString());

        Assert.AreEqual(DerError.InvalidString, e.Reason);
    }

    [TestMethod]
    public void NonStringTag_IsUnexpected()
    {
        Assert.AreEqual(DerError.UnexpectedTag, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex("0401 41")).ReadCharacterString()).Reason);
    }

    [TestMethod]
    public void RandomUtf8_AgreesWithDotNetsStrictDecoder()
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var random = new Random(13);
        for (int i = 0; i < 40_000; i++)
        {
            var content = new byte[random.Next(0, 6)];
            random.NextBytes(content);
            string? expected;
            try
            {
                expected = strict.GetString(content);
            }
            catch (DecoderFallbackException)
            {
                expected = null;
            }

            try
            {
                Assert.AreEqual(expected, new DerReader(DerBytes.Tlv(0x0C, content)).ReadCharacterString(), Convert.ToHexString(content));
            }
            catch (DerException)
            {
                Assert.IsNull(expected, Convert.ToHexString(content));
            }
        }
    }
}
