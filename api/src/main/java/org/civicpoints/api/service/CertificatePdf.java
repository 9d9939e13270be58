package org.civicpoints.api.service;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.ServiceCertificate;
import org.civicpoints.api.domain.ServiceRecord;
import org.civicpoints.api.domain.Text;

/**
 * A service certificate as an A4 PDF in simplified Chinese: the issuing body, the member's name,
 * the totals, a table of the entries (each with its transaction and block), the verification QR
 * code and URL. The font (LXGW WenKai, TrueType, packed into the jar by the build) is embedded as a
 * subset of the characters used. Blocking: call on a worker.
 */
public final class CertificatePdf {

  static final String FONT = "/fonts/LXGWWenKai-Medium.ttf";

  private static final float MARGIN = 50;
  private static final float ROW = 13;
  private static final float[] COLUMNS = {0, 60, 200, 310, 365, 425, 465};
  private static final float TABLE_WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
  private static final float QR_SIZE = 96;
  private static final String CLOSING_MARKS = "，。、；：！？）」』,.;:!?)";

  private final MessageCatalogue catalogue;
  private final Function<String, String> communityNames;
  private byte[] font;

  /** {@code communityNames} names an organising community by its id. */
  public CertificatePdf(MessageCatalogue catalogue, Function<String, String> communityNames) {
    this.catalogue = catalogue;
    this.communityNames = communityNames;
  }

  /** The font's bytes, read from the classpath on the first render (on a worker). */
  private synchronized byte[] font() {
    if (font == null) {
      try (InputStream in = CertificatePdf.class.getResourceAsStream(FONT)) {
        if (in == null) {
          throw new IllegalStateException(
              "The certificate font " + FONT + " is not on the classpath: build the api module");
        }
        font = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return font;
  }

  public byte[] render(ServiceCertificate certificate) {
    try (PDDocument document = new PDDocument();
        TrueTypeFont parsed = new TTFParser().parse(new RandomAccessReadBuffer(font()))) {
      PDType0Font type0 = PDType0Font.load(document, parsed, true);
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle(text("certificate.pdf.title", Map.of()) + " " + certificate.certificateId());
      info.setAuthor(certificate.issuer());
      new Pages(document, type0, certificate).write();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("rendering certificate " + certificate.certificateId(), e);
    }
  }

  private String text(String key, Map<String, ?> args) {
    return catalogue.render(Language.ZH_CN, Text.of(key, args));
  }

  /** Writes the pages: the heading and totals, the table (continued on more pages), the QR. */
  private final class Pages {
    private final PDDocument document;
    private final PDType0Font font;
    private final ServiceCertificate certificate;
    private PDPageContentStream content;
    private float y;

    Pages(PDDocument document, PDType0Font font, ServiceCertificate certificate) {
      this.document = document;
      this.font = font;
      this.certificate = certificate;
    }

    void write() throws IOException {
      newPage();
      heading();
      tableHeader();
      for (ServiceRecord entry : certificate.entries()) {
        if (y < MARGIN + QR_SIZE + 3 * ROW) {
          content.close();
          newPage();
          tableHeader();
        }
        row(entry);
      }
      verification();
      content.close();
    }

    private void newPage() throws IOException {
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      content = new PDPageContentStream(document, page);
      y = PDRectangle.A4.getHeight() - MARGIN;
    }

    private void heading() throws IOException {
      centred(text("certificate.pdf.title", Map.of()), 24);
      y -= 34;
      line(text("certificate.pdf.issuer", Map.of("issuer", certificate.issuer())), 10, MARGIN);
      y -= 15;
      line(
          text(
              "certificate.pdf.number",
              Map.of(
                  "certificateId",
                  certificate.certificateId(),
                  "issuedOn",
                  certificate.issuedAt().toString().substring(0, 10))),
          10,
          MARGIN);
      y -= 28;
      for (String wrapped :
          wrap(
              text(
                  "certificate.pdf.statement",
                  Map.of(
                      "name", certificate.memberName(),
                      "from", certificate.from(),
                      "to", certificate.to(),
                      "hours", certificate.hours(),
                      "points", certificate.points(),
                      "entries", certificate.entries().size())),
              13,
              TABLE_WIDTH)) {
        line(wrapped, 13, MARGIN);
        y -= 20;
      }
      y -= 10;
    }

    private void tableHeader() throws IOException {
      String[] headers = text("certificate.pdf.columns", Map.of()).split("\\|");
      for (int i = 0; i < COLUMNS.length && i < headers.length; i++) {
        line(headers[i], 9, MARGIN + COLUMNS[i]);
      }
      y -= 4;
      rule();
      y -= ROW;
    }

    private void row(ServiceRecord entry) throws IOException {
      String[] cells = {
        entry.occurredOn().toString(),
        entry.activityTitle() == null ? "—" : entry.activityTitle(),
        entry.communityId() == null ? "—" : communityNames.apply(entry.communityId()),
        text("certificate.category." + entry.category().name(), Map.of()),
        Long.toString(entry.hours()),
        Long.toString(entry.points()),
        Long.toString(entry.blockNumber())
      };
      for (int i = 0; i < cells.length; i++) {
        float width = (i + 1 < COLUMNS.length ? COLUMNS[i + 1] : TABLE_WIDTH) - COLUMNS[i] - 4;
        line(fitted(cells[i], 9, width), 9, MARGIN + COLUMNS[i]);
      }
      y -= 10;
      line(text("certificate.pdf.tx", Map.of("txId", entry.txId())), 6.5f, MARGIN + COLUMNS[1]);
      y -= 4;
      rule();
      y -= ROW;
    }

    /** The QR code (drawn as vector squares) with the URL beside it, at the foot of the page. */
    private void verification() throws IOException {
      BitMatrix matrix = qr(certificate.verificationUrl());
      float module = QR_SIZE / matrix.getWidth();
      for (int row = 0; row < matrix.getHeight(); row++) {
        for (int column = 0; column < matrix.getWidth(); column++) {
          if (matrix.get(column, row)) {
            content.addRect(
                MARGIN + column * module, MARGIN + QR_SIZE - (row + 1) * module, module, module);
          }
        }
      }
      content.fill();
      float x = MARGIN + QR_SIZE + 12;
      y = MARGIN + QR_SIZE - 20;
      line(text("certificate.pdf.scan", Map.of()), 10, x);
      y -= 16;
      line(certificate.verificationUrl(), 9, x);
      y -= 16;
      for (String wrapped :
          wrap(text("certificate.pdf.signed", Map.of()), 8, TABLE_WIDTH - QR_SIZE - 12)) {
        line(wrapped, 8, x);
        y -= 12;
      }
    }

    private void centred(String text, float size) throws IOException {
      float width = font.getStringWidth(text) / 1000 * size;
      line(text, size, (PDRectangle.A4.getWidth() - width) / 2);
    }

    private void line(String text, float size, float x) throws IOException {
      content.beginText();
      content.setFont(font, size);
      content.newLineAtOffset(x, y);
      content.showText(text);
      content.endText();
    }

    private void rule() throws IOException {
      content.setLineWidth(0.4f);
      content.moveTo(MARGIN, y);
      content.lineTo(MARGIN + TABLE_WIDTH, y);
      content.stroke();
    }

    /** The text, cut with an ellipsis to fit the width. */
    private String fitted(String text, float size, float width) throws IOException {
      if (width(text, size) <= width) {
        return text;
      }
      String cut = text;
      while (!cut.isEmpty() && width(cut + "…", size) > width) {
        cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
      }
      return cut + "…";
    }

    /** Lines of at most {@code width}, broken between characters (Chinese has no spaces). */
    private List<String> wrap(String text, float size, float width) throws IOException {
      List<String> lines = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (int offset = 0; offset < text.length(); ) {
        int next = text.offsetByCodePoints(offset, 1);
        String character = text.substring(offset, next);
        // A closing mark stays with the character before it: no line starts with "，" or "。".
        boolean closing = CLOSING_MARKS.indexOf(character) >= 0;
        if (current.length() > 0 && !closing && width(current + character, size) > width) {
          lines.add(current.toString());
          current.setLength(0);
        }
        current.append(character);
        offset = next;
      }
      lines.add(current.toString());
      return lines;
    }

    private float width(String text, float size) throws IOException {
      return font.getStringWidth(text) / 1000 * size;
    }
  }

  private static BitMatrix qr(String url) {
    try {
      return new QRCodeWriter()
          .encode(
              url,
              BarcodeFormat.QR_CODE,
              0,
              0,
              Map.of(
                  EncodeHintType.ERROR_CORRECTION,
                  ErrorCorrectionLevel.M,
                  EncodeHintType.MARGIN,
                  0));
    } catch (WriterException e) {
      throw new IllegalArgumentException("the verification URL does not fit a QR code", e);
    }
  }
}
