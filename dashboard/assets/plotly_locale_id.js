/* Plotly's own texts in Bahasa Indonesia: month and day names on date axes, the number separators (1.234,5) and
   the mode bar's buttons. A graph uses them with `config.locale = "id"` (the pages' Indonesian graphs do).
   Based on plotly.js-locales 3.7.0 `id.js` (MIT, © 2012-2026 Plotly, Inc.), with the standard spellings
   (November, Agustus: "Nov", "Agu") and the dictionary filled in. Served from this site: no CDN. */
(function () {
  "use strict";
  var locale = {
    moduleType: "locale",
    name: "id",
    dictionary: {
      "Autoscale": "Skala otomatis",
      "Box Select": "Pilih kotak",
      "Click to enter Colorscale title": "Klik untuk judul skala warna",
      "Click to enter Plot title": "Klik untuk judul grafik",
      "Double-click to zoom back out": "Klik dua kali untuk memperkecil kembali",
      "Download plot": "Unduh grafik",
      "Download plot as a png": "Unduh grafik sebagai PNG",
      "Lasso Select": "Pilih laso",
      "Pan": "Geser",
      "Produced with Plotly.js": "Dibuat dengan Plotly.js",
      "Reset axes": "Setel ulang sumbu",
      "Reset view": "Setel ulang tampilan",
      "Show closest data on hover": "Tampilkan data terdekat saat disorot",
      "Compare data on hover": "Bandingkan data saat disorot",
      "Toggle Spike Lines": "Garis bantu",
      "Zoom": "Perbesar area",
      "Zoom in": "Perbesar",
      "Zoom out": "Perkecil",
      "trace": "seri"
    },
    format: {
      days: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
      shortDays: ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
      months: [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember"
      ],
      shortMonths: ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "."
    }
  };
  // dcc.Graph loads plotly.js when a page first draws a graph; it registers what waits here.
  if (window.Plotly && window.Plotly.register) {
    window.Plotly.register(locale);
  } else {
    (window.PlotlyLocales = window.PlotlyLocales || []).push(locale);
  }
})();
