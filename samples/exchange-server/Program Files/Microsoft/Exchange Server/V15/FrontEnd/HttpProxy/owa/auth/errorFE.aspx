<%-- Bulwark sample: harmless stand-in for the Exchange 15.1.2106.2 page of this name. It is not Microsoft's file, so its hash differs from the baseline. --%>
<%@ Page Language="C#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.ErrorFE" %>
<!DOCTYPE html>
<html dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>Outlook</title>
<link rel="stylesheet" href="/owa/auth/15.1.2106/themes/resources/errorFE.css">
</head>
<body>
<div id="errMsg">Something went wrong</div>
<div id="errDetails">Your request couldn't be completed. HTTP Status code: 500.</div>
<div><a href="/owa/">Refresh the page</a></div>
</body>
</html>
