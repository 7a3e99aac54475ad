<%-- Bulwark sample: harmless stand-in for the Exchange 15.1.2106.2 page of this name. It is not Microsoft's file, so its hash differs from the baseline. --%>
<%@ Page Language="C#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.Logon" %>
<!DOCTYPE html>
<html dir="ltr">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex, nofollow">
<title>Outlook</title>
<link rel="stylesheet" href="/owa/auth/15.1.2106/themes/resources/logon.css">
</head>
<body class="signInBg">
<form action="/owa/auth.owa" method="POST" name="logonForm" autocomplete="off">
<input type="hidden" name="destination" value="https://mail.contoso.org/owa/">
<input type="hidden" name="flags" value="4">
<div class="signInInputLabel">Domain\user name:</div>
<input id="username" name="username" type="text" class="signInInputText">
<div class="signInInputLabel">Password:</div>
<input id="password" name="password" type="password" class="signInInputText">
<div class="signInEnter"><input type="submit" value="sign in"></div>
</form>
</body>
</html>
