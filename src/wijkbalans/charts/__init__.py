"""Charts and maps as SVG, rendered on the server with matplotlib, so that the same
picture serves the page, the download and the printed report. No Django here: data and
labels in, SVG text out. Every chart has a data table beside it in the page."""
