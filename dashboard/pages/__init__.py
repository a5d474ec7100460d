"""Each page's view-model and components, in a package named for the page; its layout and callbacks are in
`dashboard/layouts/` and `dashboard/callbacks/`."""
